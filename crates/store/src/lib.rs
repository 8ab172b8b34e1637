//! Storage for the privacy portal.
//!
//! One dyn-compatible [`Store`] trait and two backends chosen by the database URL's scheme:
//! SQLite for one machine, PostgreSQL for several stateless instances. All SQL lives in the
//! backend modules; each backend has its own `migrations/` folder, applied by [`connect`].

/// Binds a [`job::NewJob`]'s columns in the order `sql::ENQUEUE_JOB` and
/// `sql::ENQUEUE_JOB_ONCE` name them (a macro: the query types differ per backend).
macro_rules! bind_new_job {
    ($query:expr, $job:expr) => {
        $query
            .bind(&$job.kind)
            .bind(&$job.payload)
            .bind(&$job.idempotency_key)
            .bind(&$job.account_id)
            .bind($job.max_attempts)
            .bind($job.created_at)
            .bind($job.not_before)
    };
}

pub mod account;
mod audit;
pub mod consent;
pub mod erasure;
mod error;
pub mod export;
pub mod job;
pub mod outbox;
mod postgres;
pub mod profile;
pub mod records;
pub mod retention;
pub mod session;
mod shared;
mod sql;
mod sqlite;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod token;
mod transaction;
mod url;

use account::AccountRow;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use job::JobRow;
use outbox::QueuedMail;
use session::SessionRow;
use std::sync::Arc;
use token::{TokenPurpose, ValidToken};

pub use audit::{Actor, AuditEvent, NewAuditEvent};
pub use error::StoreError;
pub use transaction::Transaction;
pub use url::{Backend, DatabaseUrl, InvalidDatabaseUrl};

/// Which failed sign-ins to count: those against one account, or those from one client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKey<'a> {
    Account(&'a str),
    Client(&'a str),
}

/// Everything the portal keeps, behind one interface.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// Checks that the database answers a query (readiness).
    async fn ping(&self) -> Result<(), StoreError>;

    /// Applies the migrations that have not run yet. A changed or unknown applied migration is
    /// an error: applied migrations are never edited.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Starts a transaction: the writes of one cause (an account, its audit row, its mail) land
    /// together or not at all. Dropping it without [`Transaction::commit`] rolls back.
    async fn begin(&self) -> Result<Box<dyn Transaction>, StoreError>;

    /// Appends an event to the audit trail.
    async fn record_audit(&self, event: NewAuditEvent) -> Result<AuditEvent, StoreError>;

    /// The newest `limit` audit events, newest first.
    async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditEvent>, StoreError>;

    /// Whether the audit trail holds an event `action` about `subject` (an account id).
    async fn has_audit(&self, subject: &str, action: &str) -> Result<bool, StoreError>;

    /// Adds a new session; `false` when one with the same id hash exists already.
    async fn insert_session(&self, session: &SessionRow) -> Result<bool, StoreError>;

    /// Writes a session's account, device, data, last use and expiry (adding it if it is gone);
    /// an existing session keeps its creation time.
    async fn save_session(&self, session: &SessionRow) -> Result<(), StoreError>;

    async fn load_session(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError>;

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;

    /// An account's sessions, most recently used first.
    async fn account_sessions(&self, account_id: &str) -> Result<Vec<SessionRow>, StoreError>;

    /// Ends every session of an account except `keep` (an id hash); returns how many ended.
    async fn end_account_sessions(
        &self,
        account_id: &str,
        keep: Option<&str>,
    ) -> Result<u64, StoreError>;

    /// Deletes the sessions whose idle expiry has passed; returns how many.
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;

    /// The account with this address key (the address in lower case), if any.
    async fn account_by_email_key(&self, email_key: &str)
    -> Result<Option<AccountRow>, StoreError>;

    async fn account_by_id(&self, id: &str) -> Result<Option<AccountRow>, StoreError>;

    /// Support and admin accounts, by address.
    async fn staff_accounts(&self) -> Result<Vec<AccountRow>, StoreError>;

    /// Marks a TOTP time step as used by the account; `false` when that step or a later one was
    /// used already (a replayed code), or the account has no TOTP.
    async fn record_totp_step(&self, account_id: &str, step: i64) -> Result<bool, StoreError>;

    /// What an unused, unexpired link's token stands for, without using it.
    async fn valid_email_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<ValidToken>, StoreError>;

    /// Claims up to `limit` queued messages that are due, until `lease_until`.
    async fn claim_mail(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<QueuedMail>, StoreError>;

    /// The message was handed to the mail server at `at`: forget it, and mark the recipients
    /// it told (Art. 19) as told.
    async fn mail_sent(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// The message can never be sent (its address is unusable): forget it, telling nobody.
    async fn mail_dropped(&self, id: i64) -> Result<(), StoreError>;

    /// Sending failed: try again at `retry_at`.
    async fn mail_failed(&self, id: i64, retry_at: DateTime<Utc>) -> Result<(), StoreError>;

    /// How many messages wait to be sent.
    async fn mail_waiting(&self) -> Result<i64, StoreError>;

    /// Claims up to `limit` due jobs until `lease_until`, counting the attempt.
    async fn claim_jobs(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<JobRow>, StoreError>;

    /// The job succeeded; `false` if it was not a queued job (already finished elsewhere). A
    /// recipient the job told of a correction (Art. 19) is marked told.
    async fn job_done(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError>;

    /// The attempt failed with `error`: retry at `retry_at`, or with `None` park it as dead.
    async fn job_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The job waits for something that is not a failure (an operation still being carried out,
    /// an open circuit): it runs again at `retry_at` and the attempt is not counted.
    async fn job_postponed(&self, id: i64, retry_at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Queues a dead job again with fresh attempts; `false` if it was not dead.
    async fn retry_job(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError>;

    async fn job(&self, id: i64) -> Result<Option<JobRow>, StoreError>;

    /// Jobs with a status (`queued`, `done`, `dead`), oldest first.
    async fn jobs_with_status(&self, status: &str, limit: u32) -> Result<Vec<JobRow>, StoreError>;

    /// The newest `limit` jobs for an account, newest first.
    async fn account_jobs(&self, account_id: &str, limit: u32) -> Result<Vec<JobRow>, StoreError>;

    /// The account's profile, if it was ever saved.
    async fn profile(&self, account_id: &str) -> Result<Option<profile::ProfileRow>, StoreError>;

    /// The newest corrections of an account, newest first.
    async fn corrections(
        &self,
        account_id: &str,
        limit: u32,
    ) -> Result<Vec<profile::CorrectionRow>, StoreError>;

    /// The recipients told, or to be told, of the account's corrections, oldest first.
    async fn notices(&self, account_id: &str) -> Result<Vec<records::NoticeRow>, StoreError>;

    /// The account's rights requests, newest first.
    async fn rights_requests(
        &self,
        account_id: &str,
        page: records::Page,
    ) -> Result<Vec<records::RightsRequestRow>, StoreError>;

    /// One rights request, whoever's it is (the callers check that).
    async fn rights_request(
        &self,
        id: i64,
    ) -> Result<Option<records::RightsRequestRow>, StoreError>;

    /// The requests of living accounts with a status (`open`, `closed`, `cancelled`), oldest
    /// first, at most `limit`.
    async fn requests_with_status(
        &self,
        status: &str,
        limit: u32,
    ) -> Result<Vec<records::RightsRequestRow>, StoreError>;

    /// A request's history and thread, oldest first.
    async fn request_events(
        &self,
        request_id: i64,
    ) -> Result<Vec<records::RequestEventRow>, StoreError>;

    /// Logs that a staff member opened a person's data.
    async fn record_staff_access(&self, access: &records::NewStaffAccess)
    -> Result<(), StoreError>;

    /// Who at the company opened the account's data, newest first.
    async fn staff_accesses(
        &self,
        account_id: &str,
        page: records::Page,
    ) -> Result<Vec<records::StaffAccessRow>, StoreError>;

    /// The account's contact-form messages, newest first.
    async fn contact_messages(
        &self,
        account_id: &str,
        page: records::Page,
    ) -> Result<Vec<records::ContactMessageRow>, StoreError>;

    /// The account's quote requests, newest first.
    async fn quote_requests(
        &self,
        account_id: &str,
        page: records::Page,
    ) -> Result<Vec<records::QuoteRequestRow>, StoreError>;

    /// The account's invoices, newest first (by when they were recorded).
    async fn invoices(
        &self,
        account_id: &str,
        page: records::Page,
    ) -> Result<Vec<records::InvoiceRow>, StoreError>;

    /// One export.
    async fn export(&self, id: &str) -> Result<Option<export::ExportRow>, StoreError>;

    /// The account's newest exports, newest first.
    async fn exports(
        &self,
        account_id: &str,
        limit: u32,
    ) -> Result<Vec<export::ExportRow>, StoreError>;

    /// Notes how far an export being built got.
    async fn export_progress(
        &self,
        id: &str,
        progress: &export::ExportProgress<'_>,
    ) -> Result<(), StoreError>;

    /// Marks an export expired (its file is gone); false when it was already.
    async fn export_expired(&self, id: &str) -> Result<bool, StoreError>;

    /// One erasure, by id or by the SHA-256 of its status page's token.
    async fn erasure(&self, id: &str) -> Result<Option<erasure::ErasureRow>, StoreError>;

    async fn erasure_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<erasure::ErasureRow>, StoreError>;

    /// The account's erasure that is scheduled or running, if any.
    async fn pending_erasure(
        &self,
        account_id: &str,
    ) -> Result<Option<erasure::ErasureRow>, StoreError>;

    /// An erasure's steps, in the order they are carried out.
    async fn erasure_steps(&self, id: &str) -> Result<Vec<erasure::ErasureStepRow>, StoreError>;

    /// The mails an erasure sent, oldest first.
    async fn erasure_notices(&self, id: &str)
    -> Result<Vec<erasure::ErasureNoticeRow>, StoreError>;

    /// Records one cookie choice; its id.
    async fn record_consent(&self, consent: &consent::NewConsent) -> Result<i64, StoreError>;

    /// The choices made while signed in to the account, newest first.
    async fn consent_records(
        &self,
        account_id: &str,
        page: records::Page,
    ) -> Result<Vec<consent::ConsentRow>, StoreError>;

    /// Counts one view of a page on a day, and one visitor when `visitor`.
    async fn count_page_view(
        &self,
        day: chrono::NaiveDate,
        path: &str,
        visitor: bool,
    ) -> Result<(), StoreError>;

    /// The page-view counts from `since` on, newest day first, then the most viewed.
    async fn page_views(
        &self,
        since: chrono::NaiveDate,
    ) -> Result<Vec<consent::PageViewRow>, StoreError>;

    /// Records one failed sign-in.
    async fn record_sign_in_failure(
        &self,
        account_key: &str,
        client_key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The times of the newest failures for one key after `since`, newest first, at most `limit`.
    async fn recent_sign_in_failures(
        &self,
        key: FailureKey<'_>,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DateTime<Utc>>, StoreError>;

    /// Forgets an account's failures (after it signs in successfully).
    async fn clear_sign_in_failures(&self, account_key: &str) -> Result<(), StoreError>;

    /// Deletes failures recorded before `cutoff` (retention); returns how many.
    async fn delete_sign_in_failures_before(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    /// Queues a job unless one with its idempotency key exists (a scheduled job that several
    /// instances queue at once); whether this call queued it.
    async fn enqueue_job_once(&self, job: &job::NewJob) -> Result<bool, StoreError>;

    /// How many jobs have a status (`queued`, `done`, `dead`).
    async fn count_jobs(&self, status: &str) -> Result<i64, StoreError>;

    /// The newest runs of the retention purge, newest first.
    async fn retention_runs(
        &self,
        limit: u32,
    ) -> Result<Vec<retention::RetentionRunRow>, StoreError>;

    /// Exports still published whose link expired before `now` (their expiry job is late).
    async fn exports_past_expiry(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError>;

    /// Closes the connections; later calls fail.
    async fn close(&self);
}

/// Connects to the database the URL names (creating a SQLite file and its folder when missing)
/// without migrating it.
pub async fn open(url: &DatabaseUrl) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match url.backend() {
        Backend::Sqlite => Arc::new(sqlite::SqliteStore::open(url).await?),
        Backend::Postgres => Arc::new(postgres::PgStore::open(url).await?),
    })
}

/// Connects and applies pending migrations: what the server does at start-up.
pub async fn connect(url: &DatabaseUrl) -> Result<Arc<dyn Store>, StoreError> {
    let store = open(url).await?;
    store.migrate().await?;
    Ok(store)
}
