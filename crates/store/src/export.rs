//! Downloads of "my data" as stored: the export's state while it is built, and the file's
//! facts once it is ready. The file itself lives on disk, named after the export's id.

use chrono::{DateTime, Utc};

/// An export to start building.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExport {
    /// Random and unguessable: it names the file.
    pub id: String,
    pub account_id: String,
    /// The access request (Art. 15 GDPR) the export answers.
    pub request_id: i64,
    /// The holder's language, for the human-readable copy and the mail.
    pub language: String,
    /// How many sources (catalogue categories) will be read.
    pub sources_total: i64,
    pub requested_at: DateTime<Utc>,
}

/// How far the building got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportProgress<'a> {
    /// The source being read (a catalogue category's id).
    pub phase: &'a str,
    pub sources_done: i64,
    pub items_done: i64,
}

/// A file written: the export becomes (or stays) ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportBuilt {
    pub id: String,
    /// `complete`, `pending`, `failed` or `not-held`.
    pub provider_state: String,
    /// Why the provider's part is missing, without personal data.
    pub provider_reason: Option<String>,
    pub size_bytes: i64,
    pub ready_at: DateTime<Utc>,
    /// When every source was read completely (no part pending).
    pub completed_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportRow {
    pub id: String,
    pub account_id: String,
    pub request_id: Option<i64>,
    pub language: String,
    /// `building`, `ready` or `expired`.
    pub status: String,
    /// `waiting` (not read yet), `complete`, `pending`, `failed` or `not-held`.
    pub provider_state: String,
    pub provider_reason: Option<String>,
    pub phase: Option<String>,
    pub sources_done: i64,
    pub sources_total: i64,
    pub items_done: i64,
    pub size_bytes: Option<i64>,
    pub requested_at: DateTime<Utc>,
    pub ready_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}
