//! Two `portal` instances on one PostgreSQL database, as behind a load balancer: whatever one
//! instance knows, the other knows too, and scheduled work happens once.

mod common;

use common::{
    browser::{Browser, Via, signed_in_customer},
    spawn,
};
use std::time::Duration;
use store::testing::TestDatabase;

const JAN: &str = "jan@bakkerij-jansen.example";

async fn wrong_password(app: &common::TestApp) -> u16 {
    Browser::default()
        .call(
            app,
            "account/sign_in",
            &[
                ("lang", "nl"),
                ("email", JAN),
                ("password", "Verkeerd-Maar-Lang-Genoeg"),
            ],
            Via::Script,
            "/nl/sign-in",
        )
        .await
        .status
}

async fn two_instances_behave_as_one(db: TestDatabase) {
    // Both run the retention schedule every second, as every instance runs it every night.
    let first = spawn()
        .on(db)
        .set("retention_schedule", "* * * * * *")
        .set("jobs.poll_interval", "100ms")
        .start()
        .await;
    let second = spawn()
        .set("database_url", first.db.url().expose())
        .set("retention_schedule", "* * * * * *")
        .set("jobs.poll_interval", "100ms")
        .outbox_of(&first)
        .start()
        .await;

    // A session made on one instance is valid on the other.
    let mut jan = signed_in_customer(&first, JAN).await;
    assert_eq!(jan.me(&second).await.as_deref(), Some(JAN));
    let page = jan.get(&second, "/nl/my-data").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(JAN), "Mijn gegevens through the second");

    // A sign-in limit reached through one holds on the other.
    for _ in 0..10 {
        assert_eq!(wrong_password(&first).await, 422);
    }
    assert_eq!(wrong_password(&second).await, 429);

    // Each scheduled purge runs once, whichever instance queued or claimed it.
    let store = store::connect(first.db.url()).await.expect("store");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let runs = loop {
        let runs = store.retention_runs(1000).await.expect("runs");
        if runs.len() >= 3 && runs.iter().all(|run| run.finished_at.is_some()) {
            break runs;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "three purges within 30 s: {runs:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let mut done = Vec::new();
    for status in ["done", "dead"] {
        done.extend(
            store
                .jobs_with_status(status, 10_000)
                .await
                .expect("jobs")
                .into_iter()
                .filter(|job| job.kind == "retention.purge"),
        );
    }
    assert!(done.iter().all(|job| job.status == "done"), "none parked");
    let mut keys: Vec<&str> = done
        .iter()
        .map(|job| job.idempotency_key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), done.len(), "one job per scheduled time");
    // Every recorded run is one scheduled time's, and no time ran twice.
    let mut slots: Vec<&str> = runs.iter().map(|run| run.slot.as_str()).collect();
    slots.sort_unstable();
    slots.dedup();
    assert_eq!(slots.len(), runs.len());
    for slot in &slots {
        assert!(
            keys.contains(&format!("retention-{slot}").as_str()),
            "{slot} ran as its scheduled job"
        );
    }
    // The purges still run meanwhile: read the runs before and after the audit trail.
    let before = store.retention_runs(10_000).await.expect("runs").len();
    let purges = store
        .recent_audit(10_000)
        .await
        .expect("audit")
        .into_iter()
        .filter(|event| event.action == "retention.purged")
        .count();
    let after = store.retention_runs(10_000).await.expect("runs").len();
    assert!(
        (before..=after).contains(&purges),
        "one purge per recorded run: {purges} purges, {before}–{after} runs"
    );
    store.close().await;
    first.db.remove().await.expect("cleanup");
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn two_instances_on_one_postgresql_share_sessions_and_sign_in_limits_and_run_each_purge_once()
{
    two_instances_behave_as_one(TestDatabase::postgres().await).await;
}
