//! Running the queue: claim due jobs with a lease, carry them out a few at a time, record the
//! outcome. Every instance runs one; the leases keep two from running the same job at once,
//! and the idempotency keys make a job that ran twice anyway (a lease that ran out under a slow
//! call, a crash after the call) count once at the provider.

use super::{Job, Step, provider_jobs, provider_jobs::Progress};
use crate::{erasure::Erasures, export::Exports, retention::Retention};
use chrono::{DateTime, Utc};
use domain::Clock;
use provider::{Provider, ProviderError, model::IdempotencyKey};
use serde::Deserialize;
use std::{sync::Arc, time::Duration};
use store::{Store, StoreError, job::JobRow};
use tokio::{sync::watch, task::JoinSet};

/// How the runner works through the queue (configuration: `jobs`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSettings {
    /// How often the queue is looked at when it is idle.
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
    /// How long a claimed job is left to its runner; after that (a crash) another takes it.
    #[serde(with = "humantime_serde")]
    pub lease: Duration,
    /// Jobs carried out at once by one instance.
    pub concurrency: usize,
    /// The wait after the first failed attempt; it doubles per attempt, up to `retry_max`.
    #[serde(with = "humantime_serde")]
    pub retry_base: Duration,
    #[serde(with = "humantime_serde")]
    pub retry_max: Duration,
    /// How soon an operation the provider is still carrying out is looked at again.
    #[serde(with = "humantime_serde")]
    pub operation_poll: Duration,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(1),
            lease: Duration::from_secs(120),
            concurrency: 8,
            retry_base: Duration::from_secs(10),
            retry_max: Duration::from_secs(3600),
            operation_poll: Duration::from_secs(5),
        }
    }
}

/// What one [`JobRunner::drain`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Drained {
    pub done: usize,
    /// Failed attempts that will be tried again.
    pub retried: usize,
    /// Jobs waiting for the provider (an operation in progress, an open circuit).
    pub waiting: usize,
    /// Parked for staff: the last attempt failed, or retrying cannot help.
    pub dead: usize,
}

/// What became of one attempt.
#[derive(Debug)]
enum Outcome {
    Done,
    Wait(DateTime<Utc>),
    Retry {
        error: String,
        asked: Option<Duration>,
    },
    Dead(String),
}

#[derive(Clone)]
pub struct JobRunner {
    store: Arc<dyn Store>,
    provider: Arc<dyn Provider>,
    clock: Arc<dyn Clock>,
    settings: Arc<JobSettings>,
    exports: Option<Exports>,
    erasures: Option<Erasures>,
    retention: Option<Retention>,
}

fn chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

impl JobRunner {
    pub fn new(
        store: Arc<dyn Store>,
        provider: Arc<dyn Provider>,
        clock: Arc<dyn Clock>,
        settings: JobSettings,
    ) -> Self {
        Self {
            store,
            provider,
            clock,
            settings: Arc::new(settings),
            exports: None,
            erasures: None,
            retention: None,
        }
    }

    /// Lets the runner carry out the scheduled retention purge too (every instance's does).
    pub fn with_retention(mut self, retention: Retention) -> Self {
        self.retention = Some(retention);
        self
    }

    /// Lets the runner build exports too (every instance's does; tests of the provider's jobs
    /// alone leave it out).
    pub fn with_exports(mut self, exports: Exports) -> Self {
        self.exports = Some(exports);
        self
    }

    /// Lets the runner erase accounts too (every instance's does).
    pub fn with_erasures(mut self, erasures: Erasures) -> Self {
        self.erasures = Some(erasures);
        self
    }

    /// The wait before the next attempt after `attempts` failed ones: `retry_base` doubling,
    /// at most `retry_max`, less up to a fifth at random so that jobs failed together do not
    /// come back together.
    pub fn backoff(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let full = self
            .settings
            .retry_base
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.settings.retry_max);
        full.mul_f64(1.0 - rand::random::<f64>() * 0.2)
    }

    /// Carries out every job that is due, until none is; returns what happened. Jobs that wait
    /// or failed are due again later, so with a clock that stands still this returns once the
    /// queue holds nothing due (tests drain without sleeping).
    pub async fn drain(&self) -> Result<Drained, StoreError> {
        let (_keep, never) = watch::channel(false);
        self.drain_until(never).await
    }

    /// Like [`JobRunner::drain`], but claims nothing more once `stop` turns true; jobs in
    /// progress are finished.
    async fn drain_until(&self, stop: watch::Receiver<bool>) -> Result<Drained, StoreError> {
        let mut drained = Drained::default();
        let mut running = JoinSet::new();
        let mut first_error = None;
        loop {
            let room = self.settings.concurrency.max(1) - running.len();
            if room > 0 && !*stop.borrow() && first_error.is_none() {
                let now = self.clock.now();
                let limit = u32::try_from(room).unwrap_or(u32::MAX);
                match self
                    .store
                    .claim_jobs(now, now + chrono(self.settings.lease), limit)
                    .await
                {
                    Ok(claimed) => {
                        for job in claimed {
                            let runner = self.clone();
                            running.spawn(async move { runner.run(job).await });
                        }
                    }
                    Err(error) => first_error = Some(error),
                }
            }
            match running.join_next().await {
                None => break,
                Some(Ok(Ok(outcome))) => match outcome {
                    Outcome::Done => drained.done += 1,
                    Outcome::Wait(_) => drained.waiting += 1,
                    Outcome::Retry { .. } => drained.retried += 1,
                    Outcome::Dead(_) => drained.dead += 1,
                },
                Some(Ok(Err(error))) => {
                    first_error.get_or_insert(error);
                }
                // A panicking job: its lease runs out and it is tried again.
                Some(Err(error)) => tracing::error!(%error, "a job panicked"),
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(drained),
        }
    }

    /// Runs the queue until `stop` turns true: drains, waits `poll_interval`, drains again.
    /// On stop, jobs in progress are finished; nothing new is claimed.
    pub async fn run_until(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(
            concurrency = self.settings.concurrency,
            "job runner started"
        );
        loop {
            if let Err(error) = self.drain_until(stop.clone()).await {
                tracing::warn!(%error, "the job queue could not be read; will try again");
            }
            if *stop.borrow() {
                break;
            }
            tokio::select! {
                _ = stop.changed() => {}
                () = tokio::time::sleep(self.settings.poll_interval) => {}
            }
            if *stop.borrow() {
                break;
            }
        }
        tracing::info!("job runner stopped");
    }

    /// One attempt at one claimed job, and its outcome recorded.
    async fn run(self, row: JobRow) -> Result<Outcome, StoreError> {
        let outcome = self.attempt(&row).await;
        let now = self.clock.now();
        match &outcome {
            Outcome::Done => {
                if self.store.job_done(row.id, now).await? {
                    tracing::info!(job = row.id, kind = %row.kind, attempts = row.attempts, "job done");
                }
            }
            Outcome::Wait(until) => {
                self.store.job_postponed(row.id, *until).await?;
                tracing::debug!(job = row.id, kind = %row.kind, %until, "job waits for the provider");
            }
            Outcome::Retry { error, asked } if row.attempts < row.max_attempts => {
                let wait = self.backoff(row.attempts).max(asked.unwrap_or_default());
                let retry_at = now + chrono(wait);
                self.store
                    .job_failed(row.id, error, Some(retry_at), now)
                    .await?;
                tracing::warn!(job = row.id, kind = %row.kind, attempts = row.attempts, %retry_at, %error, "job failed; will retry");
            }
            Outcome::Retry { error, .. } | Outcome::Dead(error) => {
                self.store.job_failed(row.id, error, None, now).await?;
                tracing::error!(job = row.id, kind = %row.kind, attempts = row.attempts, %error, "job parked as dead; staff must look at it");
            }
        }
        Ok(outcome)
    }

    async fn attempt(&self, row: &JobRow) -> Outcome {
        let job = match Job::from_stored(row.id, &row.kind, &row.payload) {
            Ok(job) => job,
            Err(error) => return Outcome::Dead(error.to_string()),
        };
        // Never sooner than `operation_poll`: the breaker keeps the real time, the clock may
        // be a test's, and a wait already over must not turn into a busy loop.
        let soonest = self.clock.now() + chrono(self.settings.operation_poll);
        let step = match (&job, &self.exports, &self.erasures) {
            (Job::ExportBuild { export }, Some(exports), _) => Some(exports.build(export).await),
            (Job::ExportExpire { export }, Some(exports), _) => Some(exports.expire(export).await),
            (Job::Erasure { erasure }, _, Some(erasures)) => Some(erasures.run(erasure).await),
            (Job::ExportBuild { .. } | Job::ExportExpire { .. }, None, _) => Some(Step::Retry(
                "this instance's runner builds no exports".into(),
            )),
            (Job::Erasure { .. }, _, None) => Some(Step::Retry(
                "this instance's runner erases no accounts".into(),
            )),
            (Job::RetentionPurge { slot }, _, _) => Some(match &self.retention {
                Some(retention) => match retention.purge(slot).await {
                    // Done here, or by another instance's run of the same slot.
                    Ok(_) => Step::Done,
                    Err(error) => Step::Retry(format!("the retention purge failed: {error}")),
                },
                None => Step::Retry("this instance's runner purges nothing".into()),
            }),
            _ => None,
        };
        if let Some(step) = step {
            return match step {
                Step::Done => Outcome::Done,
                Step::Wait(until) => Outcome::Wait(until),
                Step::Retry(error) => Outcome::Retry { error, asked: None },
                Step::Running => Outcome::Wait(soonest),
                Step::Dead(error) => Outcome::Dead(error),
                Step::Provider(error) => match outcome_of(error) {
                    Outcome::Wait(until) => Outcome::Wait(until.max(soonest)),
                    other => other,
                },
            };
        }
        let Some(key) = IdempotencyKey::new(row.idempotency_key.clone()) else {
            return Outcome::Dead("the job's idempotency key is not usable".into());
        };
        match provider_jobs::perform(self.provider.as_ref(), &job, &key).await {
            Ok(Progress::Done) => Outcome::Done,
            Ok(Progress::Running) => Outcome::Wait(soonest),
            Ok(Progress::OperationFailed) => {
                Outcome::Dead("the provider could not carry out the operation".into())
            }
            Err(error) => match outcome_of(error) {
                Outcome::Wait(until) => Outcome::Wait(until.max(soonest)),
                other => other,
            },
        }
    }
}

/// What a failed call means for the job. The messages are stored and shown to staff, so they
/// hold no personal data: no addresses, numbers or values, only what went wrong.
fn outcome_of(error: ProviderError) -> Outcome {
    let text = describe(&error);
    match error {
        ProviderError::Unavailable { retry_after, .. } => Outcome::Retry {
            error: text,
            asked: retry_after,
        },
        // The provider was not even called: not an attempt.
        ProviderError::CircuitOpen { until } => Outcome::Wait(until),
        ProviderError::NeedsAttention { .. } => Outcome::Dead(text),
        ProviderError::Contract(_) => Outcome::Retry {
            error: text,
            asked: None,
        },
    }
}

/// A failed call in words without personal data.
pub(crate) fn describe(error: &ProviderError) -> String {
    match error {
        ProviderError::Unavailable { reason, .. } => {
            format!("the provider is unavailable ({reason})")
        }
        ProviderError::CircuitOpen { .. } => {
            "the provider is not called for a while (too many failures)".into()
        }
        ProviderError::NeedsAttention { status, code } => {
            let code: String = code.chars().take(60).collect();
            format!("the provider refused the request ({status} {code})")
        }
        ProviderError::Contract(_) => "the provider's answer did not match the contract".into(),
    }
}
