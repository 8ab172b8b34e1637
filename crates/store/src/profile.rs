//! Profiles and the corrections made to them, as stored.

use chrono::{DateTime, Utc};

/// A profile as stored: every field optional (an empty field is NULL).
#[derive(Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ProfileRow {
    pub account_id: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// Goes up with every save; 0 for a profile never saved.
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ProfileRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data stays out of logs and panics.
        f.debug_struct("ProfileRow")
            .field("account_id", &self.account_id)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// One corrected field, without its values.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CorrectionRow {
    pub id: i64,
    pub account_id: String,
    /// The catalogue category, e.g. `account`.
    pub category: String,
    pub field: String,
    /// `customer` or `staff`.
    pub actor: String,
    pub corrected_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCorrection {
    pub account_id: String,
    pub category: String,
    pub field: String,
    pub actor: String,
    pub corrected_at: DateTime<Utc>,
}
