//! Storage for the privacy portal.
//!
//! One dyn-compatible [`Store`] trait and two backends chosen by the database URL's scheme:
//! SQLite for one machine, PostgreSQL for several stateless instances. All SQL lives in the
//! backend modules; each backend has its own `migrations/` folder, applied by [`connect`].

pub mod account;
mod audit;
mod error;
mod postgres;
pub mod session;
mod sql;
mod sqlite;
#[cfg(feature = "test-support")]
pub mod testing;
mod url;

use account::{AccountRow, NewAccount};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use session::SessionRow;
use std::sync::Arc;

pub use audit::{Actor, AuditEvent, NewAuditEvent};
pub use error::StoreError;
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

    /// Appends an event to the audit trail.
    async fn record_audit(&self, event: NewAuditEvent) -> Result<AuditEvent, StoreError>;

    /// The newest `limit` audit events, newest first.
    async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditEvent>, StoreError>;

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

    /// Adds an account; [`StoreError::Duplicate`] when its address is taken (in any case).
    async fn create_account(&self, account: &NewAccount) -> Result<(), StoreError>;

    /// The account with this address key (the address in lower case), if any.
    async fn account_by_email_key(&self, email_key: &str)
    -> Result<Option<AccountRow>, StoreError>;

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
