//! The job runner inside the real `portal` process, against the stand-in over loopback.

use chrono::Utc;
use provider::model::{Correction, FieldChange, SubscriberId};
use provider_sim::{
    Faults,
    testing::{StandIn, TEST_KEY},
};
use std::{process::Stdio, time::Duration};
use store::{Store, testing::TestDatabase};
use tokio::process::{Child, Command};
use workflows::jobs::{self, Job};

const JOBS: usize = 120;

fn start_portal(db: &TestDatabase, stand_in: &StandIn, outbox: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("serve")
        .env_remove("APP_CONFIG")
        .env("APP_LISTEN", "127.0.0.1:0")
        .env("APP_DATABASE_URL", db.url().expose())
        .env("APP_MAIL__OUTBOX", outbox)
        .env("APP_PROVIDER_API__BASE_URL", stand_in.url())
        .env("APP_PROVIDER_API__API_KEY", TEST_KEY)
        .env("APP_PROVIDER_API__ATTEMPT_TIMEOUT", "250ms")
        .env("APP_JOBS__LEASE", "2s")
        .env("APP_JOBS__CONCURRENCY", "4")
        .env("APP_JOBS__POLL_INTERVAL", "100ms")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the portal starts")
}

/// The corrections this test queued with a status (the portal queues its own work beside
/// them: the scheduled retention purge).
async fn corrections(store: &dyn Store, status: &str) -> Vec<store::job::JobRow> {
    store
        .jobs_with_status(status, 10_000)
        .await
        .expect("read jobs")
        .into_iter()
        .filter(|job| job.kind == "provider.correct")
        .collect()
}

async fn count(store: &dyn Store, status: &str) -> usize {
    corrections(store, status).await.len()
}

/// Jobs claimed by a runner whose lease has not run out: in flight.
async fn in_flight(db: &TestDatabase) -> i64 {
    let pool = sqlx::SqlitePool::connect(db.url().expose())
        .await
        .expect("pool");
    let now = Utc::now();
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND locked_until > $1",
    )
    .bind(now)
    .fetch_one(&pool)
    .await
    .expect("count");
    pool.close().await;
    n
}

#[tokio::test(flavor = "multi_thread")]
async fn a_portal_killed_with_sigkill_while_jobs_are_in_flight_completes_every_job_exactly_once_after_a_restart()
 {
    let db = TestDatabase::sqlite();
    let outbox = tempfile::tempdir().expect("outbox");
    // Each call takes a while, so a kill always finds calls under way.
    let stand_in = StandIn::start(Faults {
        latency_ms: 150,
        ..Faults::default()
    })
    .await;
    let store = store::connect(db.url()).await.expect("store");
    let mut tx = store.begin().await.expect("begin");
    for n in 0..JOBS {
        let job = Job::ProviderCorrect {
            subscriber: SubscriberId::parse("OO-100002").expect("id"),
            correction: Correction {
                changes: vec![FieldChange {
                    record_id: "OO-100002-num-1".into(),
                    field: "holder_name".into(),
                    value: format!("Jansen Installatie {n}"),
                }],
            },
        };
        jobs::enqueue(tx.as_mut(), &job, None, Utc::now())
            .await
            .expect("queued");
    }
    tx.commit().await.expect("commit");

    let mut portal = start_portal(&db, &stand_in, outbox.path());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while count(store.as_ref(), "done").await < 10 {
        assert!(tokio::time::Instant::now() < deadline, "jobs got going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    portal.kill().await.expect("SIGKILL");
    let claimed_at_kill = in_flight(&db).await;
    let done_at_kill = count(store.as_ref(), "done").await;
    assert!(
        claimed_at_kill > 0 && done_at_kill < JOBS,
        "killed with jobs in flight ({claimed_at_kill} claimed, {done_at_kill} done)"
    );

    let mut portal = start_portal(&db, &stand_in, outbox.path());
    while count(store.as_ref(), "done").await < JOBS {
        assert!(
            tokio::time::Instant::now() < deadline,
            "every job completes after the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    portal.kill().await.expect("stopped");

    assert_eq!(count(store.as_ref(), "queued").await, 0);
    assert_eq!(count(store.as_ref(), "dead").await, 0);
    let effects = stand_in.effects().await;
    let done = corrections(store.as_ref(), "done").await;
    assert_eq!(done.len(), JOBS);
    for job in &done {
        assert_eq!(
            effects.get(&job.idempotency_key),
            Some(&1),
            "every job reached the provider, none twice: {effects:?}"
        );
    }
    store.close().await;
    db.remove().await.expect("cleanup");
}

fn portal_command(db: &TestDatabase, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(args)
        .env_remove("APP_CONFIG")
        .env("APP_DATABASE_URL", db.url().expose())
        .output()
        .expect("portal runs")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_the_provider_refuses_is_parked_listed_by_portal_jobs_dead_without_its_payload_and_queued_again_by_retry()
 {
    let db = TestDatabase::sqlite();
    let stand_in = StandIn::start(Faults::default()).await;
    let store = store::connect(db.url()).await.expect("store");
    let mut tx = store.begin().await.expect("begin");
    let refused = Job::ProviderCorrect {
        subscriber: SubscriberId::parse("OO-100001").expect("id"),
        correction: Correction {
            changes: vec![FieldChange {
                record_id: "OO-100001-no-such-record".into(),
                field: "city".into(),
                value: "Geheime Plaatsnaam".into(),
            }],
        },
    };
    let id = jobs::enqueue(tx.as_mut(), &refused, None, Utc::now())
        .await
        .expect("queued");
    tx.commit().await.expect("commit");
    let provider = server::workers::provider(
        &server::Config::load_with(
            None,
            figment::Figment::new()
                .merge(figment::providers::Serialized::default(
                    "provider_api.base_url",
                    stand_in.url(),
                ))
                .merge(figment::providers::Serialized::default(
                    "provider_api.api_key",
                    TEST_KEY,
                )),
        )
        .expect("config"),
        &server::observe::Metrics::default(),
    )
    .expect("client");
    let runner = workflows::jobs::JobRunner::new(
        std::sync::Arc::clone(&store),
        provider,
        std::sync::Arc::new(domain::SystemClock),
        workflows::jobs::JobSettings::default(),
    );
    assert_eq!(
        runner.drain().await.expect("drained").dead,
        1,
        "no retry can fix a 422"
    );

    let listed = portal_command(&db, &["jobs", "dead"]);
    assert!(listed.status.success());
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        text.starts_with(&format!("{id}\tprovider.correct\t1 attempts"))
            && text.contains("the provider refused the request (422 unknown_record)"),
        "{text}"
    );
    assert!(!text.contains("Geheime"), "no payload: {text}");

    assert!(
        portal_command(&db, &["jobs", "retry", &id.to_string()])
            .status
            .success()
    );
    let again = store.job(id).await.expect("read").expect("the job");
    assert_eq!((again.status.as_str(), again.attempts), ("queued", 0));
    let twice = portal_command(&db, &["jobs", "retry", &id.to_string()]);
    assert_eq!(twice.status.code(), Some(1), "only a dead job is retried");
    assert!(String::from_utf8_lossy(&twice.stderr).contains("not parked as dead"));
    store.close().await;
    db.remove().await.expect("cleanup");
}
