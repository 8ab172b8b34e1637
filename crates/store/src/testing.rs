//! Throw-away databases for tests: a SQLite file in a temporary folder, or a PostgreSQL database
//! of its own created on the server `TEST_POSTGRES_URL` names and dropped afterwards.

use crate::{DatabaseUrl, StoreError};
use sqlx::{Connection, PgConnection};

/// A confirmed Dutch-speaking customer (with a password hash that matches no password), made
/// at `at`: what most storage stories start from.
pub fn customer(
    id: &str,
    email: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> crate::account::NewAccount {
    crate::account::NewAccount {
        id: id.into(),
        email: email.into(),
        email_key: email.to_lowercase(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: "customer".into(),
        language: "nl".into(),
        email_confirmed_at: Some(at),
        created_at: at,
    }
}

/// The environment variable naming a PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "TEST_POSTGRES_URL";

/// A database that exists for one test.
pub struct TestDatabase {
    url: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// A fresh SQLite file (the folder is removed on drop).
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder for the test database");
        let url = format!("sqlite://{}", dir.path().join("portal.db").display());
        Self {
            url: DatabaseUrl::parse(&url).expect("a sqlite URL"),
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A fresh, empty PostgreSQL database on the server `TEST_POSTGRES_URL` names.
    ///
    /// Panics when the variable is unset: tests that need it are `#[ignore]`d in that case.
    pub async fn postgres() -> Self {
        let admin_url = std::env::var(POSTGRES_ENV)
            .unwrap_or_else(|_| panic!("{POSTGRES_ENV} must name a PostgreSQL server"));
        let name = format!("portal_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach {POSTGRES_ENV}: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("CREATE DATABASE");
        let _ = admin.close().await;
        let mut url = url::Url::parse(&admin_url).expect("TEST_POSTGRES_URL is a URL");
        url.set_path(&name);
        Self {
            url: DatabaseUrl::parse(url.as_str()).expect("a postgres URL"),
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Drops a PostgreSQL database (SQLite folders go on drop). Call at the end of the test.
    pub async fn remove(&self) -> Result<(), StoreError> {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let mut admin = PgConnection::connect(admin_url).await?;
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await?;
        }
        Ok(())
    }
}

/// Every row of every table, each as its columns' text joined by `|` (NULL as empty): for tests
/// that look for what an erasure must have left nowhere. The migrations' own table is left out.
pub async fn dump(
    url: &DatabaseUrl,
) -> Result<std::collections::BTreeMap<String, Vec<String>>, StoreError> {
    macro_rules! dump_with {
        ($connection:ty, $tables:expr, $columns:expr) => {{
            let mut db = <$connection>::connect(url.expose()).await?;
            let tables: Vec<String> = sqlx::query_scalar($tables).fetch_all(&mut db).await?;
            let mut dump = std::collections::BTreeMap::new();
            for table in tables {
                let names: Vec<String> = sqlx::query_scalar($columns)
                    .bind(&table)
                    .fetch_all(&mut db)
                    .await?;
                let select = names
                    .iter()
                    .map(|c| format!("COALESCE(CAST({c} AS TEXT), '')"))
                    .collect::<Vec<_>>()
                    .join(" || '|' || ");
                let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT {select} FROM {table}"
                )))
                .fetch_all(&mut db)
                .await?;
                dump.insert(table, rows);
            }
            db.close().await?;
            dump
        }};
    }
    Ok(match url.backend() {
        crate::Backend::Sqlite => dump_with!(
            sqlx::SqliteConnection,
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
            "SELECT name FROM pragma_table_info($1) ORDER BY cid"
        ),
        crate::Backend::Postgres => dump_with!(
            PgConnection,
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' ORDER BY 1",
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position"
        ),
    })
}
