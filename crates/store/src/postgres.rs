//! The PostgreSQL backend, for several stateless instances sharing one database.

use crate::{
    Backend, DatabaseUrl, Store, StoreError,
    audit::{AuditEvent, AuditRow, NewAuditEvent},
};
use async_trait::async_trait;
use sqlx::{PgPool, migrate::Migrator, postgres::PgPoolOptions};
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

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

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        // sqlx takes an advisory lock, so instances starting together migrate once.
        MIGRATOR.run(&self.pool).await?;
        Ok(())
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

    async fn close(&self) {
        self.pool.close().await;
    }
}
