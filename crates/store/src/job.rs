//! Durable jobs as stored.

use chrono::{DateTime, Utc};

/// A job to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// What to do, e.g. `provider.correct`.
    pub kind: String,
    /// Its input, as JSON (ids and values, never secrets).
    pub payload: String,
    /// Sent with every attempt, so the other side applies the job once.
    pub idempotency_key: String,
    /// The account the job works for, if any: the holder sees it as pending until it is done.
    pub account_id: Option<String>,
    pub max_attempts: i64,
    pub created_at: DateTime<Utc>,
    /// Not tried before this time (usually `created_at`; later for work with a date, such as an
    /// export's expiry).
    pub not_before: DateTime<Utc>,
}

/// A job as read back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub idempotency_key: String,
    pub account_id: Option<String>,
    /// `queued`, `done` or `dead`.
    pub status: String,
    /// Attempts so far (a claimed job counts the one in progress).
    pub attempts: i64,
    pub max_attempts: i64,
    pub created_at: DateTime<Utc>,
    /// When a queued job is tried next.
    pub next_attempt_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub finished_at: Option<DateTime<Utc>>,
}
