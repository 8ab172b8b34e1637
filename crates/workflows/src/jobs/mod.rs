//! Durable jobs: work that must happen elsewhere (at the provider, for now) and must not be
//! lost. A job is written in the same transaction as the local change that caused it
//! ([`enqueue`]); [`JobRunner`] carries it out, in every instance, with leases, so a crash or an
//! outage delays it and never drops or doubles it. Every attempt sends the job's own
//! idempotency key, so the provider applies a retried job once.
//!
//! I kept our own `jobs` table rather than apalis: apalis pushes through its own connection,
//! and a job must be written in the transaction of its cause (the transactional outbox).

pub(crate) mod provider_jobs;
mod runner;
mod status;

pub(crate) use runner::describe as describe_failure;
pub use runner::{Drained, JobRunner, JobSettings};
pub use status::{JobState, JobView};

use chrono::{DateTime, Utc};
use provider::model::{Correction, SubscriberId};
use serde::{Deserialize, Serialize};
use store::{StoreError, Transaction, job::NewJob};

/// What a job asks for: its kind and payload as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", deny_unknown_fields)]
pub enum Job {
    /// Correct named fields of the subscriber's records at the provider (Art. 16 GDPR).
    #[serde(rename = "provider.correct")]
    ProviderCorrect {
        subscriber: SubscriberId,
        correction: Correction,
    },
    /// Erase everything the provider holds for the subscriber (Art. 17 GDPR).
    #[serde(rename = "provider.erase")]
    ProviderErase { subscriber: SubscriberId },
    /// Remove every number of the subscriber from the telephone directory (Art. 17(2) GDPR,
    /// Art. 11.10 Telecommunicatiewet).
    #[serde(rename = "provider.unlist")]
    ProviderUnlist { subscriber: SubscriberId },
    /// Build (or, once the provider answers, complete) a download of the holder's data.
    #[serde(rename = "export.build")]
    ExportBuild { export: String },
    /// Delete an export's file when its link expires.
    #[serde(rename = "export.expire")]
    ExportExpire { export: String },
    /// Erase an account everywhere, once its cool-off has passed (Art. 17 GDPR).
    #[serde(rename = "erasure.run")]
    Erasure { erasure: String },
    /// Delete everything past its retention period, for one scheduled time (`slot`).
    #[serde(rename = "retention.purge")]
    RetentionPurge { slot: String },
    /// Ask the provider to delete the usage records of billing months before `before_month`.
    #[serde(rename = "provider.purge_usage")]
    ProviderPurgeUsage { before_month: String },
}

/// What one attempt at a job the portal carries out itself (an export, an erasure) came to.
#[derive(Debug)]
pub(crate) enum Step {
    Done,
    /// Nothing to do before then.
    Wait(DateTime<Utc>),
    /// Try again later (the provider's part is pending, or the disk or database failed).
    Retry(String),
    /// The provider is still carrying an operation out: look again soon.
    Running,
    /// Retrying cannot help: park it for staff.
    Dead(String),
    /// A call to the provider failed: as for the provider's own jobs.
    Provider(provider::ProviderError),
}

/// A stored job that cannot be read back (an unknown kind, a damaged payload).
#[derive(Debug, thiserror::Error)]
#[error("job {id} of kind `{kind}` cannot be read: {reason}")]
pub struct UnreadableJob {
    pub id: i64,
    pub kind: String,
    reason: String,
}

impl Job {
    /// Attempts before a job is parked as dead. With [`JobSettings`]' default backoff (10 s
    /// doubling up to an hour) that is more than a day of provider outage.
    pub const MAX_ATTEMPTS: i64 = 30;

    /// The stored kind, e.g. `provider.correct`.
    pub fn kind(&self) -> &'static str {
        match self {
            Job::ProviderCorrect { .. } => "provider.correct",
            Job::ProviderErase { .. } => "provider.erase",
            Job::ProviderUnlist { .. } => "provider.unlist",
            Job::ExportBuild { .. } => "export.build",
            Job::ExportExpire { .. } => "export.expire",
            Job::Erasure { .. } => "erasure.run",
            Job::RetentionPurge { .. } => "retention.purge",
            Job::ProviderPurgeUsage { .. } => "provider.purge_usage",
        }
    }

    /// The scheduled purge for `slot`, keyed by the slot: queued by every instance when the
    /// time comes, stored once ([`store::Store::enqueue_job_once`]).
    pub fn scheduled_purge(slot: &str, now: DateTime<Utc>) -> Result<NewJob, StoreError> {
        let (kind, payload) = Job::RetentionPurge {
            slot: slot.to_owned(),
        }
        .to_stored()?;
        Ok(NewJob {
            kind,
            payload,
            idempotency_key: format!("retention-{slot}"),
            account_id: None,
            max_attempts: Job::MAX_ATTEMPTS,
            created_at: now,
            not_before: now,
        })
    }

    fn to_stored(&self) -> Result<(String, String), StoreError> {
        let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("a job: {e}"));
        let mut value = serde_json::to_value(self).map_err(corrupt)?;
        let payload = value
            .get_mut("payload")
            .map(serde_json::Value::take)
            .unwrap_or_default();
        Ok((
            self.kind().to_owned(),
            serde_json::to_string(&payload).map_err(corrupt)?,
        ))
    }

    /// Reads a stored job back.
    pub fn from_stored(id: i64, kind: &str, payload: &str) -> Result<Self, UnreadableJob> {
        let unreadable = |reason: String| UnreadableJob {
            id,
            kind: kind.to_owned(),
            reason,
        };
        let payload: serde_json::Value =
            serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?;
        serde_json::from_value(serde_json::json!({ "kind": kind, "payload": payload }))
            .map_err(|e| unreadable(e.to_string()))
    }
}

/// Queues `job` in the transaction of its cause, for `account` when it works for one (the holder
/// then sees it until it is done). Returns the job's id.
pub async fn enqueue(
    tx: &mut dyn Transaction,
    job: &Job,
    account: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    enqueue_at(tx, job, account, now, now).await
}

/// Like [`enqueue`], for work that is not to be done before `not_before`.
pub async fn enqueue_at(
    tx: &mut dyn Transaction,
    job: &Job,
    account: Option<&str>,
    now: DateTime<Utc>,
    not_before: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let (kind, payload) = job.to_stored()?;
    tx.enqueue_job(&NewJob {
        kind,
        payload,
        idempotency_key: format!("job-{}", uuid::Uuid::new_v4().simple()),
        account_id: account.map(str::to_owned),
        max_attempts: Job::MAX_ATTEMPTS,
        created_at: now,
        not_before,
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use provider::model::FieldChange;

    #[test]
    fn a_job_is_stored_as_its_kind_and_payload_and_read_back_unchanged() {
        let subscriber = SubscriberId::parse("OO-100001").expect("an id");
        let jobs = [
            Job::ProviderCorrect {
                subscriber: subscriber.clone(),
                correction: Correction {
                    changes: vec![FieldChange {
                        record_id: "OO-100001-dir-1".into(),
                        field: "city".into(),
                        value: "Utrecht".into(),
                    }],
                },
            },
            Job::ProviderErase {
                subscriber: subscriber.clone(),
            },
            Job::ProviderUnlist { subscriber },
            Job::ExportBuild {
                export: "e1".into(),
            },
            Job::ExportExpire {
                export: "e1".into(),
            },
            Job::Erasure {
                erasure: "x1".into(),
            },
            Job::RetentionPurge {
                slot: "2026-11-24T03:30:00+01:00".into(),
            },
            Job::ProviderPurgeUsage {
                before_month: "2026-05".into(),
            },
        ];
        for job in jobs {
            let (kind, payload) = job.to_stored().expect("stored");
            assert_eq!(kind, job.kind());
            assert!(!payload.contains(kind.as_str()), "the kind is not repeated");
            assert_eq!(Job::from_stored(1, &kind, &payload).expect("read"), job);
        }
    }

    #[test]
    fn an_unknown_kind_or_a_damaged_payload_is_unreadable_not_a_panic() {
        assert!(Job::from_stored(1, "provider.explode", "{}").is_err());
        assert!(Job::from_stored(2, "provider.erase", "{\"subscriber\":\"nope\"}").is_err());
        assert!(Job::from_stored(3, "provider.erase", "not json").is_err());
    }
}
