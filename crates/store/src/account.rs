//! Accounts as stored. Types here carry no secrets towards the browser: the app turns them into
//! per-view DTOs.

use chrono::{DateTime, Utc};

/// An account to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub id: String,
    pub email: String,
    /// The address in lower case (unique).
    pub email_key: String,
    pub password_hash: String,
    /// `customer`, `support` or `admin` (the schema refuses anything else).
    pub role: String,
    pub language: String,
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// An account as read back.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountRow {
    pub id: String,
    pub email: String,
    pub email_key: String,
    pub password_hash: String,
    pub role: String,
    pub language: String,
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    /// The subscriber id at the provider, when the account holder is one.
    pub provider_subscriber: Option<String>,
    /// When the holder objected to direct marketing (Art. 21(2) GDPR), if they did.
    pub marketing_objection_at: Option<DateTime<Utc>>,
    /// When the holder asked for the account's deletion (it is deactivated until erased).
    pub deactivated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for AccountRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the address nor the hash nor the TOTP secret belongs in a log or a panic.
        f.debug_struct("AccountRow")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}
