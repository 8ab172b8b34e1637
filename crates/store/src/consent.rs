//! Proof of cookie consent and the aggregate page-view counts, as stored.

use chrono::{DateTime, NaiveDate, Utc};

/// One choice to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsent {
    pub consent_id: String,
    pub account_id: Option<String>,
    pub functional: bool,
    pub analytical: bool,
    pub commercial: bool,
    pub statement_version: String,
    /// `banner`, `settings` or `gpc`.
    pub method: String,
    pub gpc: bool,
    pub recorded_at: DateTime<Utc>,
}

/// A recorded choice.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConsentRow {
    pub id: i64,
    pub consent_id: String,
    pub account_id: Option<String>,
    pub functional: bool,
    pub analytical: bool,
    pub commercial: bool,
    pub statement_version: String,
    pub method: String,
    pub gpc: bool,
    pub recorded_at: DateTime<Utc>,
}

/// Views of one page on one day; `visitors` only counts those who allowed analytical cookies.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PageViewRow {
    pub day: NaiveDate,
    pub path: String,
    pub views: i64,
    pub visitors: i64,
}
