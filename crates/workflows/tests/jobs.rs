//! Provider jobs through the real client and the stand-in over loopback HTTP: with a share of
//! calls failing, with the stand-in down, and with two instances on one queue. The runner's clock
//! is a test's, so retries come due when the test moves time on, never by sleeping.

use chrono::{Duration as Span, Utc};
use domain::{Clock, ManualClock};
use provider::{
    ClientSettings, HttpProvider, Provider,
    model::{Correction, FieldChange, SubscriberId},
};
use provider_sim::{
    Faults,
    testing::{StandIn, TEST_KEY},
};
use std::{sync::Arc, time::Duration};
use store::{Store, testing::TestDatabase};
use workflows::jobs::{self, Drained, Job, JobRunner, JobSettings, JobState, JobView};

/// The client, impatient (`attempt_timeout`) so that hanging calls fail fast.
fn client_with(stand_in: &StandIn, attempt_timeout: Duration) -> Arc<dyn Provider> {
    let mut settings = ClientSettings::new(
        stand_in.url().parse().expect("url"),
        TEST_KEY.to_owned().into(),
    );
    settings.attempt_timeout = attempt_timeout;
    settings.min_delay = Duration::from_millis(5);
    settings.max_delay = Duration::from_millis(50);
    settings.cooldown = Duration::from_millis(100);
    Arc::new(HttpProvider::new(settings).expect("a client"))
}

fn client(stand_in: &StandIn) -> Arc<dyn Provider> {
    client_with(stand_in, Duration::from_millis(400))
}

fn runner(store: &Arc<dyn Store>, provider: Arc<dyn Provider>, clock: &ManualClock) -> JobRunner {
    JobRunner::new(
        Arc::clone(store),
        provider,
        Arc::new(clock.clone()),
        JobSettings {
            concurrency: 24,
            ..JobSettings::default()
        },
    )
}

fn subscriber(id: &str) -> SubscriberId {
    SubscriberId::parse(id).expect("an id")
}

/// A correction of Sanne's listing, or (every third) unlisting her numbers.
fn job(n: usize) -> Job {
    if n.is_multiple_of(3) {
        Job::ProviderUnlist {
            subscriber: subscriber("OO-100001"),
        }
    } else {
        Job::ProviderCorrect {
            subscriber: subscriber("OO-100001"),
            correction: Correction {
                changes: vec![FieldChange {
                    record_id: "OO-100001-dir-1".into(),
                    field: "city".into(),
                    value: format!("Plaats {n}"),
                }],
            },
        }
    }
}

async fn enqueue(store: &dyn Store, count: usize, clock: &ManualClock) -> Vec<i64> {
    let mut tx = store.begin().await.expect("begin");
    let mut ids = Vec::new();
    for n in 0..count {
        let id = jobs::enqueue(tx.as_mut(), &job(n), Some("account-1"), clock.now())
            .await
            .expect("queued");
        ids.push(id);
    }
    tx.commit().await.expect("commit");
    ids
}

/// Drains, moving the clock past every retry and wait, until nothing is queued.
async fn drain_all(runner: &JobRunner, store: &dyn Store, clock: &ManualClock) -> Drained {
    let mut total = Drained::default();
    for _ in 0..60 {
        let round = runner.drain().await.expect("drained");
        total.done += round.done;
        total.retried += round.retried;
        total.waiting += round.waiting;
        total.dead += round.dead;
        if store
            .jobs_with_status("queued", 1)
            .await
            .expect("read")
            .is_empty()
        {
            return total;
        }
        clock.advance(Span::hours(2));
    }
    panic!("jobs still queued after 60 rounds: {total:?}");
}

/// Every job's keys were applied exactly once at the stand-in: one per correction, one per
/// directory number (Sanne has one) per unlisting.
async fn assert_applied_once(stand_in: &StandIn, store: &dyn Store, count: usize) {
    let done = store
        .jobs_with_status("done", 10_000)
        .await
        .expect("done jobs");
    assert_eq!(done.len(), count, "every job is done");
    let effects = stand_in.effects().await;
    assert!(
        effects.values().all(|n| *n == 1),
        "nothing applied twice: {:?}",
        effects.iter().filter(|(_, n)| **n > 1).collect::<Vec<_>>()
    );
    for job in &done {
        let applied = effects
            .keys()
            .filter(|k| k.starts_with(&job.idempotency_key))
            .count();
        assert_eq!(applied, 1, "job {} ({}) applied once", job.id, job.kind);
    }
    assert_eq!(effects.len(), count, "and nothing else was applied");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_provider_jobs_with_thirty_percent_of_calls_failing_all_complete_once_and_none_is_lost()
 {
    let db = TestDatabase::sqlite();
    let store = store::connect(db.url()).await.expect("connect");
    let stand_in = StandIn::start(Faults {
        fail_share: 0.3,
        retry_after_s: 1,
        hang_ms: 1_000,
        ..Faults::default()
    })
    .await;
    let clock = ManualClock::at(Utc::now());
    enqueue(store.as_ref(), 1_000, &clock).await;

    let runner = runner(&store, client(&stand_in), &clock);
    let drained = drain_all(&runner, store.as_ref(), &clock).await;

    assert_eq!(drained.dead, 0, "{drained:?}");
    assert_applied_once(&stand_in, store.as_ref(), 1_000).await;
    let injected = stand_in.injected().await;
    assert!(
        injected > 300,
        "the faults happened: {injected} calls failed on purpose"
    );
    db.remove().await.expect("cleanup");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_provider_down_jobs_stay_pending_with_their_last_attempt_and_complete_when_it_is_back()
 {
    let db = TestDatabase::sqlite();
    let store = store::connect(db.url()).await.expect("connect");
    let mut stand_in = StandIn::start(Faults::default()).await;
    let provider = client(&stand_in);
    stand_in.stop();
    let clock = ManualClock::at(Utc::now());
    let ids = enqueue(store.as_ref(), 30, &clock).await;
    let runner = runner(&store, Arc::clone(&provider), &clock);

    // A day of outage, tried again and again: nothing is done, nothing is given up.
    for _ in 0..12 {
        let round = runner.drain().await.expect("drained");
        assert_eq!((round.done, round.dead), (0, 0), "{round:?}");
        clock.advance(Span::hours(2));
        tokio::time::sleep(Duration::from_millis(120)).await; // the breaker's cooldown
    }
    let seen = JobView::of_account(store.as_ref(), "account-1", 100)
        .await
        .expect("views");
    assert_eq!(seen.len(), ids.len());
    for view in &seen {
        assert!(
            matches!(
                view.state,
                JobState::Pending {
                    last_attempt: Some(_),
                    ..
                }
            ),
            "pending since its last attempt, never done: {view:?}"
        );
    }
    let mut attempts = 0;
    for id in &ids {
        attempts += store.job(*id).await.expect("read").expect("a job").attempts;
    }
    // The first round tries the jobs it claimed at once (24); once the circuit is open, about
    // one probe per cooldown goes through and the rest wait without an attempt counted against
    // them. Without the breaker it would be 30 jobs × 12 rounds = 360.
    assert!(
        attempts <= 60,
        "the open circuit spared the provider ({attempts} attempts)"
    );

    stand_in.restart(Faults::default()).await;
    tokio::time::sleep(Duration::from_millis(120)).await;
    clock.advance(Span::hours(2));
    drain_all(&runner, store.as_ref(), &clock).await;
    assert_applied_once(&stand_in, store.as_ref(), ids.len()).await;
    let seen = JobView::of_account(store.as_ref(), "account-1", 100)
        .await
        .expect("views");
    assert!(
        seen.iter()
            .all(|v| matches!(v.state, JobState::Done { .. }))
    );
    db.remove().await.expect("cleanup");
}

/// Two instances (two pools, two runners, one database) drain one queue side by side.
async fn two_instances_drain_one_queue(db: &TestDatabase) {
    let first = store::connect(db.url()).await.expect("connect");
    let second = store::connect(db.url()).await.expect("connect");
    let stand_in = StandIn::start(Faults::default()).await;
    let clock = ManualClock::at(Utc::now());
    enqueue(first.as_ref(), 300, &clock).await;

    // Patient: under this load a timed-out call would be sent again, and rightly so.
    let a = runner(
        &first,
        client_with(&stand_in, Duration::from_secs(10)),
        &clock,
    );
    let b = runner(
        &second,
        client_with(&stand_in, Duration::from_secs(10)),
        &clock,
    );
    let mut done = 0;
    for _ in 0..10 {
        let (x, y) = tokio::join!(a.drain(), b.drain());
        let (x, y) = (x.expect("drained"), y.expect("drained"));
        assert_eq!(x.dead + y.dead, 0);
        done += x.done + y.done;
        if first
            .jobs_with_status("queued", 1)
            .await
            .expect("read")
            .is_empty()
        {
            break;
        }
        clock.advance(Span::minutes(1));
    }
    assert_eq!(done, 300, "no job was completed twice");
    assert_applied_once(&stand_in, first.as_ref(), 300).await;
    // With no faults, a correction's key is sent once. An unlisting is run twice by design:
    // its operation is still pending at the first look, and the rerun sends the key again to
    // learn the operation, so each of its keys comes back exactly once.
    let replays = stand_in.replays().await;
    for job in first.jobs_with_status("done", 1_000).await.expect("done") {
        let sent_again: Vec<i64> = replays
            .iter()
            .filter(|(k, _)| k.starts_with(&job.idempotency_key))
            .map(|(_, n)| *n)
            .collect();
        let expected: Vec<i64> = if job.kind == "provider.unlist" {
            vec![1]
        } else {
            vec![]
        };
        assert_eq!(
            sent_again, expected,
            "job {} ({}) ran once",
            job.id, job.kind
        );
    }
    first.close().await;
    second.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_on_sqlite_drain_one_queue_and_every_job_runs_once() {
    let db = TestDatabase::sqlite();
    two_instances_drain_one_queue(&db).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn two_instances_on_postgresql_drain_one_queue_and_every_job_runs_once() {
    let db = TestDatabase::postgres().await;
    two_instances_drain_one_queue(&db).await;
    db.remove().await.expect("cleanup");
}
