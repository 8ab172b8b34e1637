//! Durable jobs on both backends: queued with their cause or not at all, claimed once per lease
//! (also by two connections pools at once), retried, parked as dead, and retried by staff.

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::{collections::BTreeSet, sync::Arc};
use store::{Store, StoreError, job::NewJob, testing::TestDatabase};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("a time")
}

fn job(n: usize) -> NewJob {
    NewJob {
        kind: "provider.correct".into(),
        payload: format!("{{\"n\":{n}}}"),
        idempotency_key: format!("job-key-{n:010}"),
        account_id: n.is_multiple_of(2).then(|| "account-even".to_owned()),
        max_attempts: 2,
        created_at: t0(),
        not_before: t0(),
    }
}

async fn enqueue(store: &dyn Store, jobs: impl IntoIterator<Item = NewJob>, commit: bool) {
    let mut tx = store.begin().await.expect("begin");
    for job in jobs {
        tx.enqueue_job(&job).await.expect("queued");
    }
    if commit {
        tx.commit().await.expect("commit");
    }
}

async fn the_story(db: &TestDatabase) {
    let store: Arc<dyn Store> = store::connect(db.url()).await.expect("connect");
    let now = t0();
    let lease = now + Duration::minutes(5);

    enqueue(store.as_ref(), [job(0)], false).await;
    assert!(
        store
            .claim_jobs(now, lease, 10)
            .await
            .expect("claim")
            .is_empty(),
        "rolled back"
    );

    enqueue(store.as_ref(), [job(0)], true).await;
    let mut tx = store.begin().await.expect("begin");
    assert!(
        matches!(
            tx.enqueue_job(&job(0)).await,
            Err(StoreError::Duplicate { .. })
        ),
        "one job per idempotency key"
    );
    drop(tx);

    let claimed = store.claim_jobs(now, lease, 10).await.expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        (claimed[0].attempts, claimed[0].last_attempt_at),
        (1, Some(now))
    );
    assert_eq!(claimed[0].account_id.as_deref(), Some("account-even"));
    assert!(
        store
            .claim_jobs(now, lease, 10)
            .await
            .expect("claim")
            .is_empty(),
        "leased"
    );

    // Waiting for the provider to finish is not a failed attempt: it runs again later, and
    // the attempt is given back.
    let id = claimed[0].id;
    store
        .job_postponed(id, now + Duration::seconds(5))
        .await
        .expect("postponed");
    assert!(
        store
            .claim_jobs(now + Duration::seconds(4), lease, 10)
            .await
            .expect("claim")
            .is_empty(),
        "not due yet"
    );
    let claimed = store
        .claim_jobs(now + Duration::seconds(5), lease, 10)
        .await
        .expect("claim");
    assert_eq!((claimed[0].id, claimed[0].attempts), (id, 1));

    // First attempt fails: retried later; second fails: parked as dead with its error.
    store
        .job_failed(
            id,
            "provider unavailable (503)",
            Some(now + Duration::seconds(30)),
            now,
        )
        .await
        .expect("failed");
    let again = store
        .claim_jobs(now + Duration::seconds(30), lease, 10)
        .await
        .expect("claim");
    assert_eq!(again[0].attempts, 2);
    store
        .job_failed(id, "provider unavailable (503)", None, now)
        .await
        .expect("dead");
    let dead = store.jobs_with_status("dead", 10).await.expect("dead jobs");
    assert_eq!(dead.len(), 1);
    assert_eq!(
        dead[0].last_error.as_deref(),
        Some("provider unavailable (503)")
    );
    assert!(
        store
            .claim_jobs(now + Duration::hours(1), now + Duration::hours(2), 10)
            .await
            .expect("claim")
            .is_empty()
    );

    // Staff retry it: queued again, and it completes once.
    assert!(store.retry_job(id, now).await.expect("retry"));
    assert!(
        !store.retry_job(id, now).await.expect("retry again"),
        "only a dead job is retried"
    );
    let retried = store.claim_jobs(now, lease, 10).await.expect("claim");
    assert_eq!(retried[0].attempts, 1);
    assert!(store.job_done(id, now).await.expect("done"));
    assert!(
        !store.job_done(id, now).await.expect("done twice"),
        "finished once"
    );
    assert_eq!(
        store.job(id).await.expect("read").expect("exists").status,
        "done"
    );

    // Two pools (two instances) claim a hundred jobs side by side: each exactly once.
    enqueue(store.as_ref(), (1..=100).map(job), true).await;
    let other: Arc<dyn Store> = store::connect(db.url()).await.expect("connect");
    let worker = |store: Arc<dyn Store>| async move {
        let mut mine = Vec::new();
        loop {
            let batch = store.claim_jobs(now, lease, 7).await.expect("claim");
            if batch.is_empty() {
                return mine;
            }
            for job in batch {
                assert!(store.job_done(job.id, now).await.expect("done"));
                mine.push(job.id);
            }
        }
    };
    let (a, b) = tokio::join!(worker(Arc::clone(&store)), worker(Arc::clone(&other)));
    let all: BTreeSet<i64> = a.iter().chain(b.iter()).copied().collect();
    assert_eq!(a.len() + b.len(), 100, "no job ran twice");
    assert_eq!(all.len(), 100, "no job was lost");

    // An account sees its own jobs, newest first, and no one else's.
    let mine = store.account_jobs("account-even", 5).await.expect("mine");
    assert_eq!(mine.len(), 5);
    assert!(mine.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert!(
        mine.iter()
            .all(|j| j.account_id.as_deref() == Some("account-even"))
    );
    assert!(
        store
            .account_jobs("nobody", 5)
            .await
            .expect("none")
            .is_empty()
    );
    other.close().await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_are_queued_with_their_cause_claimed_once_parked_when_dead_and_retried_on_sqlite() {
    let db = TestDatabase::sqlite();
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn jobs_are_queued_with_their_cause_claimed_once_parked_when_dead_and_retried_on_postgresql()
{
    let db = TestDatabase::postgres().await;
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}
