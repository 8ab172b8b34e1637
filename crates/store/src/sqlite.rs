//! The SQLite backend: one file, WAL mode, foreign keys enforced.

use crate::{
    Backend, DatabaseUrl, FailureKey, Store, StoreError,
    account::AccountRow,
    audit::{AuditEvent, AuditRow, NewAuditEvent},
    job::JobRow,
    outbox::QueuedMail,
    session::SessionRow,
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

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
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

    async fn record_audit(&self, event: NewAuditEvent) -> Result<AuditEvent, StoreError> {
        sqlx::query_as::<_, AuditRow>(
            "INSERT INTO audit_events (occurred_at, actor, action, subject)
             VALUES ($1, $2, $3, $4)
             RETURNING id, occurred_at, actor, action, subject",
        )
        .bind(event.occurred_at)
        .bind(event.actor.as_str())
        .bind(&event.action)
        .bind(&event.subject)
        .fetch_one(&self.pool)
        .await?
        .try_into()
    }

    async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditEvent>, StoreError> {
        sqlx::query_as::<_, AuditRow>(
            "SELECT id, occurred_at, actor, action, subject
             FROM audit_events ORDER BY id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(AuditEvent::try_from)
        .collect()
    }

    async fn insert_session(&self, session: &SessionRow) -> Result<bool, StoreError> {
        let done = bind_session(sqlx::query(sql::INSERT_SESSION), session)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn save_session(&self, session: &SessionRow) -> Result<(), StoreError> {
        bind_session(sqlx::query(sql::SAVE_SESSION), session)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn load_session(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, SessionRow>(sqlx::AssertSqlSafe(sql::load_session()))
                .bind(id_hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query(sql::DELETE_SESSION)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn account_sessions(&self, account_id: &str) -> Result<Vec<SessionRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, SessionRow>(sqlx::AssertSqlSafe(sql::account_sessions()))
                .bind(account_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn end_account_sessions(
        &self,
        account_id: &str,
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(sql::END_ACCOUNT_SESSIONS)
            .bind(account_id)
            .bind(keep)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query(sql::DELETE_EXPIRED_SESSIONS)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn account_by_email_key(
        &self,
        email_key: &str,
    ) -> Result<Option<AccountRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, AccountRow>(sqlx::AssertSqlSafe(sql::account_by_email_key()))
                .bind(email_key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn account_by_id(&self, id: &str) -> Result<Option<AccountRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, AccountRow>(sqlx::AssertSqlSafe(sql::account_by_id()))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn staff_accounts(&self) -> Result<Vec<AccountRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, AccountRow>(sqlx::AssertSqlSafe(sql::staff_accounts()))
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn record_totp_step(&self, account_id: &str, step: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(sql::RECORD_TOTP_STEP)
            .bind(account_id)
            .bind(step)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn valid_email_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<ValidToken>, StoreError> {
        Ok(sqlx::query_as::<_, ValidToken>(sql::VALID_EMAIL_TOKEN)
            .bind(token_hash)
            .bind(purpose.as_str())
            .bind(now)
            .fetch_optional(&self.pool)
            .await?)
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

    async fn mail_sent(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query(sql::MAIL_SENT)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn mail_failed(&self, id: i64, retry_at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(sql::MAIL_FAILED)
            .bind(id)
            .bind(retry_at)
            .execute(&self.pool)
            .await?;
        Ok(())
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

    async fn job_done(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = sqlx::query(sql::JOB_DONE)
            .bind(id)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn job_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::JOB_FAILED)
            .bind(id)
            .bind(error)
            .bind(retry_at)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn retry_job(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = sqlx::query(sql::RETRY_JOB)
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn job(&self, id: i64) -> Result<Option<JobRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql::job_by_id()))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn jobs_with_status(&self, status: &str, limit: u32) -> Result<Vec<JobRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql::jobs_with_status()))
                .bind(status)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn mail_waiting(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(sql::MAIL_WAITING)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn record_sign_in_failure(
        &self,
        account_key: &str,
        client_key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::RECORD_SIGN_IN_FAILURE)
            .bind(account_key)
            .bind(client_key)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn recent_sign_in_failures(
        &self,
        key: FailureKey<'_>,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let (statement, key) = match key {
            FailureKey::Account(key) => (sql::RECENT_FAILURES_FOR_ACCOUNT, key),
            FailureKey::Client(key) => (sql::RECENT_FAILURES_FROM_CLIENT, key),
        };
        Ok(sqlx::query_scalar(statement)
            .bind(key)
            .bind(since)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn clear_sign_in_failures(&self, account_key: &str) -> Result<(), StoreError> {
        sqlx::query(sql::CLEAR_SIGN_IN_FAILURES)
            .bind(account_key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_sign_in_failures_before(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(sql::DELETE_SIGN_IN_FAILURES_BEFORE)
            .bind(cutoff)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

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
