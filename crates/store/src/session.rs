//! Server-side sessions for tower-sessions, on either backend.
//!
//! The session id in the cookie is 128 random bits; the database keeps only its SHA-256. Two keys
//! of a session's data are also kept in columns, so an account's sessions can be listed ("my
//! sessions") and ended together (password change, deactivation, deletion): [`ACCOUNT_KEY`] and
//! [`DEVICE_KEY`]. Idle expiry comes from the record (renewed on use); the absolute lifetime is
//! enforced here, on load, whatever the cookie says.

use crate::{Store, StoreError};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use domain::Clock;
use sha2::{Digest, Sha256};
use std::{fmt, sync::Arc};
use tower_sessions_core::{
    SessionStore,
    session::{Id, Record},
    session_store,
};

/// The session data key holding the signed-in account's id.
pub const ACCOUNT_KEY: &str = "account_id";
/// The session data key holding a short description of the device (browser and system).
pub const DEVICE_KEY: &str = "device";
const DEVICE_MAX: usize = 200;

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub account_id: Option<String>,
    pub device: Option<String>,
    /// The session's data, as JSON.
    pub data: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The SHA-256 of a session id, as stored.
pub fn hash_session_id(id: &Id) -> String {
    Sha256::digest(id.0.to_le_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The portal's session store: tower-sessions on top of [`Store`].
#[derive(Clone)]
pub struct Sessions {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    absolute_lifetime: Duration,
}

impl fmt::Debug for Sessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sessions")
            .field("absolute_lifetime", &self.absolute_lifetime)
            .finish_non_exhaustive()
    }
}

impl Sessions {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, absolute_lifetime: Duration) -> Self {
        Self {
            store,
            clock,
            absolute_lifetime,
        }
    }

    fn row(&self, record: &Record) -> session_store::Result<SessionRow> {
        let now = self.clock.now();
        let text = |key: &str| {
            record
                .data
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        Ok(SessionRow {
            id_hash: hash_session_id(&record.id),
            account_id: text(ACCOUNT_KEY),
            device: text(DEVICE_KEY).map(|d| d.chars().take(DEVICE_MAX).collect()),
            data: serde_json::to_string(&record.data)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?,
            created_at: now,
            last_seen_at: now,
            expires_at: to_chrono(record.expiry_date)?,
        })
    }
}

fn backend(error: StoreError) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn to_chrono(at: time::OffsetDateTime) -> session_store::Result<DateTime<Utc>> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond())
        .ok_or_else(|| session_store::Error::Encode("expiry out of range".into()))
}

fn to_time(at: DateTime<Utc>) -> session_store::Result<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(
        at.timestamp_nanos_opt().unwrap_or(i64::MAX),
    ))
    .map_err(|e| session_store::Error::Decode(e.to_string()))
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id practically never collides; if it does, draw again.
        loop {
            let row = self.row(record)?;
            if self.store.insert_session(&row).await.map_err(backend)? {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.store
            .save_session(&self.row(record)?)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let id_hash = hash_session_id(id);
        let Some(row) = self.store.load_session(&id_hash).await.map_err(backend)? else {
            return Ok(None);
        };
        let now = self.clock.now();
        if row.expires_at <= now || row.created_at + self.absolute_lifetime <= now {
            self.store.delete_session(&id_hash).await.map_err(backend)?;
            return Ok(None);
        }
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&row.data)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: to_time(row.expires_at)?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store
            .delete_session(&hash_session_id(id))
            .await
            .map_err(backend)
    }
}
