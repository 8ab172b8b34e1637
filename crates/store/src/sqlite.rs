//! The SQLite backend: one file, WAL mode, foreign keys enforced.

use crate::{
    Backend, DatabaseUrl, FailureKey, Store, StoreError,
    account::AccountRow,
    audit::{AuditEvent, AuditRow, NewAuditEvent},
    job::JobRow,
    outbox::QueuedMail,
    session::SessionRow,
    shared::impl_store,
    sql,
    token::{TokenPurpose, ValidToken},
    transaction::{Transaction, impl_transaction},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{
    SqlitePool,
    migrate::Migrator,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{str::FromStr, time::Duration};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

impl_transaction!(SqliteTx, sqlx::Sqlite);

pub(crate) struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    #[tracing::instrument(name = "sqlite.open", skip_all)]
    pub(crate) async fn open(url: &DatabaseUrl) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url.expose())?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        if let Some(folder) = options.get_filename().parent()
            && !folder.as_os_str().is_empty()
        {
            std::fs::create_dir_all(folder)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(StoreError::Unavailable)?;
        Ok(Self { pool })
    }

    #[cfg(test)]
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

impl_store!(SqliteStore, {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn begin(&self) -> Result<Box<dyn Transaction>, StoreError> {
        // IMMEDIATE: take the write lock at once, so a transaction that reads before it
        // writes waits for other writers (busy timeout) instead of failing half-way.
        Ok(Box::new(SqliteTx(
            self.pool.begin_with("BEGIN IMMEDIATE").await?,
        )))
    }

    async fn claim_mail(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<QueuedMail>, StoreError> {
        let mut claimed = sqlx::query_as::<_, QueuedMail>(sqlx::AssertSqlSafe(sql::claim_mail("")))
            .bind(now)
            .bind(lease_until)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        claimed.sort_by_key(|mail| mail.id);
        Ok(claimed)
    }

    async fn claim_jobs(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<JobRow>, StoreError> {
        let mut claimed = sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql::claim_jobs("")))
            .bind(now)
            .bind(lease_until)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        claimed.sort_by_key(|job| job.id);
        Ok(claimed)
    }
});

fn bind_session<'q>(
    query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    session: &'q SessionRow,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    query
        .bind(&session.id_hash)
        .bind(&session.account_id)
        .bind(&session.device)
        .bind(&session.data)
        .bind(session.created_at)
        .bind(session.last_seen_at)
        .bind(session.expires_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_sqlite_database_is_created_with_its_folder_in_wal_mode_with_foreign_keys_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested/folder/portal.db");
        let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display())).expect("url");

        let store = SqliteStore::open(&url).await.expect("open");

        assert!(path.exists(), "the database file was created");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .expect("journal_mode");
        assert_eq!(mode, "wal");
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(store.pool())
            .await
            .expect("foreign_keys");
        assert_eq!(foreign_keys, 1);
    }
}
