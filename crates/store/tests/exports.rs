//! Exports and paged lists on both backends: one export per account is built at a time (the
//! index refuses a second), progress and publication are recorded, an expired export stays
//! expired; long lists are read page by page without a row lost or repeated.

use chrono::{Duration, TimeZone, Utc};
use store::{
    StoreError,
    export::{ExportBuilt, ExportProgress, NewExport},
    records::{InvoiceRow, NewRightsRequest, Page},
    testing::TestDatabase,
};

async fn the_story(db: &TestDatabase) {
    let store = store::connect(db.url()).await.expect("connect");
    let at = Utc
        .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("a time");
    let mut tx = store.begin().await.expect("begin");
    tx.create_account(&store::testing::customer("acc_1", "sanne@example.nl", at))
        .await
        .expect("account");
    for n in 0..1_201 {
        tx.insert_invoice(&InvoiceRow {
            id: 0,
            account_id: "acc_1".into(),
            number: format!("F-{n:05}"),
            description: "Glasvezel".into(),
            amount_cents: n,
            issued_at: at - Duration::days(n),
        })
        .await
        .expect("invoice");
    }
    let request = tx
        .create_rights_request(&NewRightsRequest {
            account_id: "acc_1".into(),
            kind: "access".into(),
            status: "open".into(),
            category: None,
            details: "Kopie".into(),
            received_at: at,
            closed_at: None,
        })
        .await
        .expect("request");
    let export = |id: &str| NewExport {
        id: id.into(),
        account_id: "acc_1".into(),
        request_id: request,
        language: "nl".into(),
        sources_total: 12,
        requested_at: at,
    };
    tx.create_export(&export("e1")).await.expect("export");
    tx.commit().await.expect("commit");

    let mut tx = store.begin().await.expect("begin");
    assert!(
        matches!(
            tx.create_export(&export("e2")).await,
            Err(StoreError::Duplicate { .. })
        ),
        "one export being built per account"
    );
    drop(tx);

    store
        .export_progress(
            "e1",
            &ExportProgress {
                phase: "invoices",
                sources_done: 3,
                items_done: 500,
            },
        )
        .await
        .expect("progress");
    let building = store.export("e1").await.expect("read").expect("there");
    assert_eq!(
        (
            building.status.as_str(),
            building.phase.as_deref(),
            building.items_done
        ),
        ("building", Some("invoices"), 500)
    );

    let mut tx = store.begin().await.expect("begin");
    let built = ExportBuilt {
        id: "e1".into(),
        provider_state: "pending".into(),
        provider_reason: Some("the provider is unavailable (503)".into()),
        size_bytes: 4_096,
        ready_at: at,
        completed_at: None,
        expires_at: at + Duration::days(7),
    };
    assert!(tx.export_built(&built).await.expect("built"));
    assert!(tx.close_rights_request(request, at).await.expect("closed"));
    assert!(
        !tx.close_rights_request(request, at).await.expect("read"),
        "closed once"
    );
    tx.create_export(&export("e2"))
        .await
        .expect("a new one once the first is ready");
    tx.commit().await.expect("commit");
    let listed = store.exports("acc_1", 5).await.expect("list");
    assert_eq!(listed.len(), 2);
    let first = listed.iter().find(|e| e.id == "e1").expect("e1");
    assert_eq!(
        (
            first.status.as_str(),
            first.provider_state.as_str(),
            first.phase.as_deref(),
            first.sources_done
        ),
        ("ready", "pending", None, 12)
    );

    assert!(store.export_expired("e1").await.expect("expired"));
    assert!(!store.export_expired("e1").await.expect("read"), "once");
    let mut tx = store.begin().await.expect("begin");
    assert!(
        !tx.export_built(&built).await.expect("read"),
        "an expired export is not published again"
    );
    drop(tx);
    assert_eq!(
        store.export("e1").await.expect("read").expect("e1").status,
        "expired"
    );

    let complete = ExportBuilt {
        id: "e2".into(),
        provider_state: "complete".into(),
        provider_reason: None,
        completed_at: Some(at),
        ..built.clone()
    };
    let mut tx = store.begin().await.expect("begin");
    assert!(tx.export_built(&complete).await.expect("built"));
    assert!(
        !tx.export_built(&complete).await.expect("read"),
        "a complete export is published once"
    );
    tx.commit().await.expect("commit");

    let mut seen = Vec::new();
    let mut page = Some(Page::first(500));
    while let Some(current) = page {
        let rows = store.invoices("acc_1", current).await.expect("page");
        assert!(rows.len() <= 500);
        page = (rows.len() == 500).then(|| current.after(rows[499].id));
        seen.extend(rows.into_iter().map(|r| r.number));
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (1_201, 1_201), "every row once");
    assert_eq!(seen[0], "F-01200", "newest first");
    store.close().await;
}

#[tokio::test]
async fn one_export_is_built_at_a_time_and_long_lists_are_read_page_by_page_on_sqlite() {
    let db = TestDatabase::sqlite();
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn one_export_is_built_at_a_time_and_long_lists_are_read_page_by_page_on_postgresql() {
    let db = TestDatabase::postgres().await;
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}
