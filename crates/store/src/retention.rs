//! What the retention purge deletes, and the record of each run.

use chrono::{DateTime, Utc};

/// One kind of row the retention purge deletes once its period has passed: every row of that
/// kind whose period started before the cut-off the purge gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purge {
    /// Customer accounts whose address was never confirmed, made before the cut-off (with what
    /// hangs on them); never an account with invoices.
    UnconfirmedAccounts,
    /// Contact-form messages received before the cut-off.
    ContactMessages,
    /// Quote requests made before the cut-off.
    QuoteRequests,
    /// Failed sign-ins recorded before the cut-off.
    SignInFailures,
    /// Finished jobs (their payloads may hold the values they carried) done before the cut-off.
    DoneJobs,
    /// Sessions whose expiry is before the cut-off.
    ExpiredSessions,
    /// Links sent by mail that expired before the cut-off.
    ExpiredLinks,
    /// Cookie choices recorded before the cut-off.
    ConsentRecords,
    /// Closed or withdrawn rights requests closed before the cut-off, with their thread.
    ClosedRequests,
    /// Staff accesses to a person's data logged before the cut-off.
    StaffAccess,
    /// Invoices issued before the cut-off (the start of a fiscal year).
    Invoices,
}

/// A run of the retention purge as recorded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RetentionRunRow {
    pub id: i64,
    /// The scheduled time the run was for (RFC 3339).
    pub slot: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Deleted items per category of the retention matrix, as a JSON object of counts.
    pub counts: String,
}
