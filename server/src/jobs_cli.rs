//! `portal jobs dead` and `portal jobs retry ID`: the parked jobs for an operator, until the
//! admin view shows them to staff. Only what went wrong is printed, never a job's payload.

use crate::{Config, StartError};
use chrono::Utc;
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum JobsCliError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("job {0} is not parked as dead (nothing changed)")]
    NotDead(i64),
    #[error("cannot write the list: {0}")]
    Output(#[from] std::io::Error),
}

/// Lists the dead jobs, oldest first: id, kind, attempts, when, last error.
pub async fn dead(config: &Config) -> Result<(), JobsCliError> {
    let store = store::connect(&config.database_url)
        .await
        .map_err(StartError::from)?;
    let jobs = store.jobs_with_status("dead", 1_000).await;
    store.close().await;
    let jobs = jobs.map_err(StartError::from)?;
    let mut out = std::io::stdout().lock();
    for job in &jobs {
        let when = job
            .finished_at
            .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        writeln!(
            out,
            "{}\t{}\t{} attempts\t{}\t{}",
            job.id,
            job.kind,
            job.attempts,
            when,
            job.last_error.as_deref().unwrap_or("")
        )?;
    }
    tracing::info!(dead = jobs.len(), "dead jobs listed");
    Ok(())
}

/// Queues a dead job again with a fresh set of attempts.
pub async fn retry(config: &Config, id: i64) -> Result<(), JobsCliError> {
    let store = store::connect(&config.database_url)
        .await
        .map_err(StartError::from)?;
    let retried = store.retry_job(id, Utc::now()).await;
    store.close().await;
    if !retried.map_err(StartError::from)? {
        return Err(JobsCliError::NotDead(id));
    }
    tracing::info!(job = id, "job queued again");
    Ok(())
}
