//! A job as its account holder sees it: what was asked of the provider and where it stands.
//! Never "done" before the provider confirmed it; never an error page when it is down.

use chrono::{DateTime, Utc};
use store::{Store, StoreError, job::JobRow};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    /// Not carried out yet: waiting for its first attempt, for the provider to finish, or for
    /// the provider to come back. `last_attempt` is when it was last tried, if it was.
    Pending {
        last_attempt: Option<DateTime<Utc>>,
        next_attempt: DateTime<Utc>,
    },
    Done {
        at: DateTime<Utc>,
    },
    /// The last attempt failed or retrying cannot help: staff are looking at it.
    NeedsAttention {
        since: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobView {
    pub id: i64,
    /// The stored kind, e.g. `provider.unlist`.
    pub kind: String,
    pub requested_at: DateTime<Utc>,
    pub state: JobState,
}

impl JobView {
    fn of(row: &JobRow) -> Result<Self, StoreError> {
        let corrupt = || StoreError::Corrupt(format!("job {}: status {}", row.id, row.status));
        let state = match row.status.as_str() {
            "queued" => JobState::Pending {
                last_attempt: row.last_attempt_at,
                next_attempt: row.next_attempt_at,
            },
            "done" => JobState::Done {
                at: row.finished_at.ok_or_else(corrupt)?,
            },
            "dead" => JobState::NeedsAttention {
                since: row.finished_at.ok_or_else(corrupt)?,
            },
            _ => return Err(corrupt()),
        };
        Ok(Self {
            id: row.id,
            kind: row.kind.clone(),
            requested_at: row.created_at,
            state,
        })
    }

    /// The newest jobs for an account, newest first.
    pub async fn of_account(
        store: &dyn Store,
        account_id: &str,
        limit: u32,
    ) -> Result<Vec<JobView>, StoreError> {
        store
            .account_jobs(account_id, limit)
            .await?
            .iter()
            .map(JobView::of)
            .collect()
    }
}
