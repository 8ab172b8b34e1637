//! Profiles on both backends: saved over the version the form was made from, or not at all
//! (a stale form changes nothing); corrections recorded without values.

use chrono::{TimeZone, Utc};
use store::{
    profile::{NewCorrection, ProfileRow},
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
    tx.commit().await.expect("commit");
    assert!(store.profile("acc_1").await.expect("read").is_none());

    let first = ProfileRow {
        account_id: "acc_1".into(),
        name: Some("Sanne de Vries".into()),
        city: Some("Amsterdam".into()),
        ..ProfileRow::default()
    };
    let save = |row: ProfileRow, expected: i64| {
        let store = std::sync::Arc::clone(&store);
        async move {
            let mut tx = store.begin().await.expect("begin");
            let saved = tx.save_profile(&row, expected, at).await.expect("save");
            tx.commit().await.expect("commit");
            saved
        }
    };
    assert!(save(first.clone(), 0).await, "the first save");
    assert!(
        !save(first.clone(), 0).await,
        "a second first save is stale"
    );
    let moved = ProfileRow {
        city: Some("Utrecht".into()),
        ..first.clone()
    };
    assert!(save(moved.clone(), 1).await);
    let stale = ProfileRow {
        city: Some("Haarlem".into()),
        ..first.clone()
    };
    assert!(!save(stale, 1).await, "made from version 1, stored is 2");
    let stored = store.profile("acc_1").await.expect("read").expect("saved");
    assert_eq!(
        (stored.city.as_deref(), stored.version),
        (Some("Utrecht"), 2),
        "the stale form changed nothing"
    );
    assert!(
        !format!("{stored:?}").contains("Sanne"),
        "no personal data in Debug"
    );

    let mut tx = store.begin().await.expect("begin");
    for field in ["city", "phone"] {
        tx.record_correction(&NewCorrection {
            account_id: "acc_1".into(),
            category: "account".into(),
            field: field.into(),
            actor: "customer".into(),
            corrected_at: at,
        })
        .await
        .expect("recorded");
    }
    tx.commit().await.expect("commit");
    let corrections = store.corrections("acc_1", 10).await.expect("read");
    assert_eq!(
        corrections
            .iter()
            .map(|c| c.field.as_str())
            .collect::<Vec<_>>(),
        ["phone", "city"],
        "newest first"
    );
    assert!(
        store
            .corrections("acc_2", 10)
            .await
            .expect("read")
            .is_empty()
    );
    store.close().await;
}

#[tokio::test]
async fn a_profile_is_saved_only_over_the_version_its_form_was_made_from_on_sqlite() {
    let db = TestDatabase::sqlite();
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn a_profile_is_saved_only_over_the_version_its_form_was_made_from_on_postgresql() {
    let db = TestDatabase::postgres().await;
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}
