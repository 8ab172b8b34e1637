use thiserror::Error;

/// The storage layer's one error type. Its messages never carry row contents.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("could not prepare the database location: {0}")]
    Location(#[from] std::io::Error),
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error("migrating the database failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A unique constraint refused the write; names the constraint, never the value.
    #[error("already exists ({constraint})")]
    Duplicate { constraint: String },
    #[error("a stored value could not be read: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => StoreError::Unavailable(error),
            sqlx::Error::Database(ref db)
                if db.kind() == sqlx::error::ErrorKind::UniqueViolation =>
            {
                StoreError::Duplicate {
                    // PostgreSQL names the constraint; SQLite only names the columns.
                    constraint: db.constraint().unwrap_or("unique").to_owned(),
                }
            }
            other => StoreError::Database(other),
        }
    }
}
