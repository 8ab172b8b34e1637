//! The PostgreSQL backend, for several stateless instances sharing one database.

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
use sqlx::{PgPool, migrate::Migrator, postgres::PgPoolOptions};
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

impl_transaction!(PgTx, sqlx::Postgres);

pub(crate) struct PgStore {
    pool: PgPool,
}

impl PgStore {
    #[tracing::instrument(name = "postgres.open", skip_all)]
    pub(crate) async fn open(url: &DatabaseUrl) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url.expose())
            .await
            .map_err(StoreError::Unavailable)?;
        Ok(Self { pool })
    }
}

impl_store!(PgStore, {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        // sqlx takes an advisory lock, so instances starting together migrate once.
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn begin(&self) -> Result<Box<dyn Transaction>, StoreError> {
        Ok(Box::new(PgTx(self.pool.begin().await?)))
    }

    async fn claim_mail(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<QueuedMail>, StoreError> {
        let mut claimed = sqlx::query_as::<_, QueuedMail>(sqlx::AssertSqlSafe(sql::claim_mail(
            "FOR UPDATE SKIP LOCKED",
        )))
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
        let mut claimed = sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql::claim_jobs(
            "FOR UPDATE SKIP LOCKED",
        )))
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
    query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    session: &'q SessionRow,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(&session.id_hash)
        .bind(&session.account_id)
        .bind(&session.device)
        .bind(&session.data)
        .bind(session.created_at)
        .bind(session.last_seen_at)
        .bind(session.expires_at)
}
