//! Faults: the real `portal` process killed with SIGKILL in the middle of an export and of a
//! correction at the provider, then started again. Each completes, once. (The erasure's is in
//! `erasure.rs`, the provider jobs' in `jobs.rs`, the database's absence in `operations.rs`.)

mod common;

use chrono::{Duration as Days, Utc};
use common::process::{message_ids, release_leases, start_portal, workflows_for};
use domain::AccountId;
use provider_sim::{Faults, testing::StandIn};
use std::{io::Read, path::Path, time::Duration};
use store::{Store, records::InvoiceRow, testing::TestDatabase};

/// Enough invoices that building the export takes a moment.
const INVOICES: usize = 20_000;

async fn customer_with_invoices(store: &dyn Store, id: &str, email: &str, invoices: usize) {
    let now = Utc::now();
    let mut tx = store.begin().await.expect("begin");
    tx.create_account(&store::testing::customer(id, email, now))
        .await
        .expect("account");
    tx.link_provider_subscriber(id, "OO-100001")
        .await
        .expect("linked");
    for n in 0..invoices {
        tx.insert_invoice(&InvoiceRow {
            id: 0,
            account_id: id.into(),
            number: format!("F-{n:08}"),
            description: "Zakelijk glasvezel en telefonie, maandbedrag".into(),
            amount_cents: 12_345,
            issued_at: now - Days::minutes(n as i64),
        })
        .await
        .expect("invoice");
    }
    tx.commit().await.expect("commit");
}

async fn wait_for<F: AsyncFn() -> bool>(what: &str, until: tokio::time::Instant, done: F) {
    while !done().await {
        assert!(tokio::time::Instant::now() < until, "{what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The names in the exports folder.
fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_killed_with_sigkill_while_it_is_built_is_published_once_after_the_restart() {
    let db = TestDatabase::sqlite();
    let dir = tempfile::tempdir().expect("a folder");
    let exports_dir = dir.path().join("exports");
    // The provider's part takes a while, so the kill finds the build under way.
    let stand_in = StandIn::start(Faults {
        latency_ms: 300,
        ..Faults::default()
    })
    .await;
    let store = store::connect(db.url()).await.expect("store");
    let email = "export.crash@voorbeeld.example";
    customer_with_invoices(store.as_ref(), "crash-export", email, INVOICES).await;
    let id = workflows_for(&db, &stand_in, &exports_dir, &store)
        .exports
        .request(
            &AccountId::from_stored("crash-export".into()),
            domain::Lang::Nl,
        )
        .await
        .expect("asked");
    let status = async || {
        store
            .export(&id)
            .await
            .expect("read")
            .map(|e| e.status)
            .unwrap_or_default()
    };

    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    let mut portal = start_portal(&db, &stand_in, dir.path());
    wait_for("the build started", deadline, async || {
        files_in(&exports_dir).iter().any(|f| f.ends_with(".parts"))
    })
    .await;
    portal.kill().await.expect("SIGKILL");
    assert_eq!(status().await, "building", "killed before it was published");
    assert!(message_ids(dir.path(), email, "klaar").is_empty());
    release_leases(&db).await;

    let mut portal = start_portal(&db, &stand_in, dir.path());
    wait_for("the export is published", deadline, async || {
        status().await == "ready"
    })
    .await;
    wait_for("its mail is sent", deadline, async || {
        !message_ids(dir.path(), email, "klaar").is_empty()
    })
    .await;
    // Time for a second mail or a second publication, were there one to come.
    tokio::time::sleep(Duration::from_millis(500)).await;
    portal.kill().await.expect("stopped");

    assert_eq!(message_ids(dir.path(), email, "klaar").len(), 1, "one mail");
    let published: Vec<String> = files_in(&exports_dir)
        .into_iter()
        .filter(|f| !f.ends_with(".parts"))
        .collect();
    assert_eq!(published, vec![format!("{id}.zip")], "one file");
    let mut archive = zip::ZipArchive::new(
        std::fs::File::open(exports_dir.join(format!("{id}.zip"))).expect("the file"),
    )
    .expect("a whole ZIP");
    let mut manifest = String::new();
    archive
        .by_name("manifest.json")
        .expect("a manifest")
        .read_to_string(&mut manifest)
        .expect("UTF-8");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("JSON");
    assert_eq!(manifest["complete"], true);
    let invoices = manifest["sources"][0]["categories"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c["id"] == "invoices")
        .and_then(|c| c["rows"].as_u64());
    assert_eq!(invoices, Some(INVOICES as u64), "every invoice, once");
    let mut builds = Vec::new();
    for status in ["queued", "done", "dead"] {
        for job in store.jobs_with_status(status, 100).await.expect("jobs") {
            if job.kind == "export.build" {
                builds.push(job.status);
            }
        }
    }
    assert_eq!(builds, vec!["done".to_owned()], "one build job, done");
    store.close().await;
    db.remove().await.expect("cleanup");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_correction_at_the_provider_killed_with_sigkill_mid_call_is_applied_once_after_the_restart()
 {
    let db = TestDatabase::sqlite();
    let dir = tempfile::tempdir().expect("a folder");
    // The call takes long enough for the kill to land while it is under way.
    let stand_in = StandIn::start(Faults {
        latency_ms: 400,
        ..Faults::default()
    })
    .await;
    let store = store::connect(db.url()).await.expect("store");
    customer_with_invoices(
        store.as_ref(),
        "crash-correct",
        "correctie.crash@voorbeeld.example",
        0,
    )
    .await;
    let account = AccountId::from_stored("crash-correct".into());
    workflows_for(&db, &stand_in, &dir.path().join("exports"), &store)
        .my_data
        .correct_at_provider(&account, "OO-100001-dir-1", "city", "Zaandam")
        .await
        .expect("asked");
    let job = async || {
        store
            .account_jobs("crash-correct", 10)
            .await
            .expect("jobs")
            .into_iter()
            .find(|j| j.kind == "provider.correct")
            .expect("the correction's job")
    };

    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut portal = start_portal(&db, &stand_in, dir.path());
    wait_for("the call started", deadline, async || {
        job().await.attempts > 0
    })
    .await;
    // Inside the stand-in's 400 ms.
    tokio::time::sleep(Duration::from_millis(150)).await;
    portal.kill().await.expect("SIGKILL");
    assert_eq!(job().await.status, "queued", "killed before it was done");
    release_leases(&db).await;

    let mut portal = start_portal(&db, &stand_in, dir.path());
    wait_for("the correction is done", deadline, async || {
        job().await.status == "done"
    })
    .await;
    portal.kill().await.expect("stopped");

    let key = job().await.idempotency_key;
    assert_eq!(
        stand_in.effects().await.get(&key),
        Some(&1),
        "applied at the provider once"
    );
    let records = common::at_the_stand_in(&stand_in, "OO-100001").await;
    assert!(
        records.contains("Zaandam"),
        "the record says what was asked"
    );
    let corrections = store
        .corrections("crash-correct", 10)
        .await
        .expect("corrections");
    assert_eq!(corrections.len(), 1, "recorded once: {corrections:?}");
    store.close().await;
    db.remove().await.expect("cleanup");
}
