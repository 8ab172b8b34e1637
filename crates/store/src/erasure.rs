//! Account deletions as stored: the erasure while it is scheduled or running, each system's
//! step, and the mails it sends. A finished erasure keeps none of the person's data (see the
//! migration): it is the tombstone.

use chrono::{DateTime, Utc};

/// An erasure to schedule, with the state each system's step starts in.
#[derive(Clone, PartialEq, Eq)]
pub struct NewErasure {
    /// Random: the tombstone's id, and the pseudonym the audit trail keeps.
    pub id: String,
    /// SHA-256 of the status page's token; the token itself is never stored.
    pub status_token_hash: String,
    pub account_id: String,
    /// The erasure request (Art. 17 GDPR) it answers.
    pub request_id: i64,
    /// The job that carries it out.
    pub job_id: i64,
    pub provider_subscriber: Option<String>,
    /// Where the final confirmation goes; discarded once it is queued.
    pub notify_email: String,
    pub language: String,
    pub requested_at: DateTime<Utc>,
    /// Not erased before then (the cool-off), unless the holder asked for at once.
    pub erase_after: DateTime<Utc>,
    /// (system, state) per step.
    pub steps: Vec<(&'static str, &'static str)>,
}

impl std::fmt::Debug for NewErasure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewErasure")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ErasureRow {
    pub id: String,
    pub account_id: Option<String>,
    pub request_id: Option<i64>,
    pub job_id: Option<i64>,
    pub provider_subscriber: Option<String>,
    pub notify_email: Option<String>,
    pub language: String,
    /// `scheduled`, `running`, `complete` or `cancelled`.
    pub status: String,
    pub requested_at: DateTime<Utc>,
    pub erase_after: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ErasureRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The address and the subscriber stay out of logs and panics.
        f.debug_struct("ErasureRow")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// One system's part of an erasure.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ErasureStepRow {
    /// `portal`, `directory`, `provider`, `recipients` or `confirmation`.
    pub system: String,
    /// `waiting`, `pending`, `done`, `failed` or `not-needed`.
    pub state: String,
    /// When the step reached its state.
    pub since: DateTime<Utc>,
    /// Why it failed, without personal data.
    pub detail: Option<String>,
}

/// A mail an erasure sent: to a recipient of the data, or the holder's confirmation.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ErasureNoticeRow {
    /// `recipient` or `holder`.
    pub kind: String,
    /// The recipient's name (a supplier, a company); empty for the holder.
    pub recipient: String,
    pub mail_id: i64,
    pub told_at: Option<DateTime<Utc>>,
}

/// The portal's own part of an erasure: everything of the account deleted, what the law keeps
/// detached from it, and what must outlive it pseudonymised — in one transaction.
#[derive(Clone, PartialEq, Eq)]
pub struct AccountErasure {
    pub erasure_id: String,
    pub account_id: String,
    /// The erasure request, which stays open until the erasure is complete.
    pub request_id: Option<i64>,
    /// The address in lower case: mail still waiting for it is dropped.
    pub email_key: String,
    /// The throttle's key for the address: its failed sign-ins are forgotten.
    pub failures_key: String,
    /// What the audit trail says instead of the account's id.
    pub pseudonym: String,
    pub at: DateTime<Utc>,
}

impl std::fmt::Debug for AccountErasure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountErasure")
            .field("erasure_id", &self.erasure_id)
            .finish_non_exhaustive()
    }
}
