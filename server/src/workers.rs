//! The background work every instance does: sending queued mail and running the job queue.
//! `portal serve` runs it beside the web server; `portal worker` runs it alone. Both stop
//! gracefully: nothing new is started, work in progress is finished (for at most
//! [`GRACE`]); whatever is left keeps its lease and is taken up after the next start.

use crate::{Config, startup::StartError};
use chrono::SubsecRound;
use domain::Clock;
use provider::{ClientSettings, HttpProvider, Provider};
use std::{sync::Arc, time::Duration};
use store::Store;
use tokio::sync::watch;
use workflows::{
    erasure::Erasures,
    export::Exports,
    jobs::{Job, JobRunner},
    mail::MailQueue,
    my_data::MyData,
    retention::Retention,
};

/// How long work in progress is waited for on shutdown.
pub const GRACE: Duration = Duration::from_secs(30);

pub struct Workers {
    mail: MailQueue,
    mail_poll: Duration,
    jobs: JobRunner,
    schedule: Schedule,
}

/// When the retention purge is due, and where it is queued.
struct Schedule {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    cron: croner::Cron,
    zone: chrono_tz::Tz,
    poll: Duration,
}

/// The provider's client, as configured, counting its failures into `metrics`.
pub fn provider(
    config: &Config,
    metrics: &crate::observe::Metrics,
) -> Result<Arc<dyn Provider>, StartError> {
    let mut settings = ClientSettings::new(
        config.provider_api.base_url.clone(),
        config.provider_api.api_key.clone(),
    );
    settings.attempt_timeout = config.provider_api.attempt_timeout;
    settings.cooldown = config.provider_api.circuit_cooldown;
    Ok(Arc::new(crate::observe::CountingProvider {
        inner: Arc::new(HttpProvider::new(settings)?),
        errors: metrics.provider_errors.clone(),
    }))
}

/// "My data" over the store and the provider.
pub fn my_data(
    config: &Config,
    store: &Arc<dyn Store>,
    provider: &Arc<dyn Provider>,
    clock: &Arc<dyn Clock>,
) -> MyData {
    MyData::new(
        Arc::clone(store),
        Arc::clone(provider),
        Arc::clone(clock),
        Arc::clone(&config.facts),
    )
}

/// The exports, as configured.
pub fn exports(config: &Config, my_data: MyData, provider: &Arc<dyn Provider>) -> Exports {
    Exports::new(
        my_data,
        Arc::clone(provider),
        config.exports.clone(),
        crate::startup::site(config),
    )
}

/// The erasures, as configured.
pub fn erasures(
    config: &Config,
    my_data: MyData,
    provider: &Arc<dyn Provider>,
    exports: Exports,
) -> Erasures {
    Erasures::new(
        my_data,
        Arc::clone(provider),
        exports,
        config.erasure.clone(),
        crate::startup::site(config),
    )
}

impl Workers {
    pub fn new(
        config: &Config,
        store: Arc<dyn Store>,
        provider: Arc<dyn Provider>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartError> {
        let mail = MailQueue::new(
            Arc::clone(&store),
            workflows::mail::mailer(&config.mail.settings)?,
            Arc::clone(&clock),
            config.public_url.host_str().unwrap_or("localhost"),
        );
        let my_data = my_data(config, &store, &provider, &clock);
        let exports = exports(config, my_data.clone(), &provider);
        let erasures = erasures(config, my_data, &provider, exports.clone());
        let retention = retention(config, &store, &clock).with_exports(exports.clone());
        let jobs = JobRunner::new(
            Arc::clone(&store),
            provider,
            Arc::clone(&clock),
            config.jobs.clone(),
        )
        .with_exports(exports)
        .with_erasures(erasures)
        .with_retention(retention);
        Ok(Self {
            mail,
            mail_poll: config.mail.poll_interval,
            jobs,
            schedule: Schedule {
                store,
                clock,
                cron: config.retention_schedule.clone(),
                zone: config.time_zone,
                poll: config.jobs.poll_interval,
            },
        })
    }

    /// Starts the work; it stops when the returned handle is stopped.
    pub fn start(self) -> Running {
        let (stop, stopped) = watch::channel(false);
        let mail = tokio::spawn(send_mail(self.mail, self.mail_poll, stopped.clone()));
        let schedule = tokio::spawn(self.schedule.run_until(stopped.clone()));
        let jobs = tokio::spawn(self.jobs.run_until(stopped));
        Running {
            stop,
            mail,
            jobs,
            schedule,
        }
    }
}

pub struct Running {
    stop: watch::Sender<bool>,
    mail: tokio::task::JoinHandle<()>,
    jobs: tokio::task::JoinHandle<()>,
    schedule: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Asks the work to stop and waits for what is in progress, at most [`GRACE`].
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let both = async {
            let _ = tokio::join!(self.mail, self.jobs, self.schedule);
        };
        if tokio::time::timeout(GRACE, both).await.is_err() {
            tracing::warn!(
                "background work did not finish in time; it resumes after the next start"
            );
        }
    }
}

/// The retention purge, as configured.
pub fn retention(config: &Config, store: &Arc<dyn Store>, clock: &Arc<dyn Clock>) -> Retention {
    Retention::new(
        Arc::clone(store),
        Arc::clone(clock),
        Arc::clone(&config.facts),
    )
}

impl Schedule {
    /// Every `poll`, queues the purge for the latest scheduled time that has come. Every
    /// instance does; the job's key is the time, so it is stored (and run) once. A time missed
    /// while no instance ran is made up by the next one: the purge deletes all that is due.
    async fn run_until(self, mut stop: watch::Receiver<bool>) {
        let mut tick = tokio::time::interval(self.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut queued = None;
        while !*stop.borrow() {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => break,
            }
            let now = self.clock.now();
            // Whole seconds: a schedule's times are, and "now" matches an every-second one.
            let local = now.with_timezone(&self.zone).trunc_subsecs(0);
            let Ok(slot) = self.cron.find_previous_occurrence(&local, true) else {
                continue;
            };
            if queued == Some(slot) {
                continue;
            }
            let job = match Job::scheduled_purge(&slot.to_rfc3339(), now) {
                Ok(job) => job,
                Err(error) => {
                    tracing::error!(%error, "the retention purge cannot be queued");
                    continue;
                }
            };
            match self.store.enqueue_job_once(&job).await {
                Ok(fresh) => {
                    if fresh {
                        tracing::info!(slot = %slot.to_rfc3339(), "retention purge queued");
                    }
                    queued = Some(slot);
                }
                Err(error) => {
                    tracing::warn!(%error, "the retention purge could not be queued; will try again")
                }
            }
        }
    }
}

/// Sends queued mail every `poll` until stopped. Every instance runs one; the queue's leases
/// keep them from sending a message twice.
async fn send_mail(queue: MailQueue, poll: Duration, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(poll);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !*stop.borrow() {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => break,
        }
        if let Err(error) = queue.drain().await {
            tracing::warn!(%error, "the mail queue could not be read; will try again");
        }
    }
}

/// `portal worker`: the background work without the web server, until SIGTERM or Ctrl-C.
pub async fn run(config: &Config) -> Result<(), StartError> {
    let store = store::connect(&config.database_url).await?;
    let clock: Arc<dyn Clock> = Arc::new(domain::SystemClock);
    let metrics = crate::observe::Metrics::default();
    let running = Workers::new(
        config,
        Arc::clone(&store),
        provider(config, &metrics)?,
        clock,
    )?
    .start();
    tracing::info!("worker running");
    crate::startup::shutdown_signal().await;
    running.stop().await;
    store.close().await;
    Ok(())
}
