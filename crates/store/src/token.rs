//! Single-use links sent by e-mail, as stored: only the SHA-256 of each token.

use chrono::{DateTime, Utc};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Confirms the address of a new account.
    Confirm,
    /// Lets its holder set a new password.
    Reset,
    /// Confirms a new address for an existing account.
    EmailChange,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Confirm => "confirm",
            TokenPurpose::Reset => "reset",
            TokenPurpose::EmailChange => "email_change",
        }
    }
}

/// A link's token to store.
#[derive(Clone, PartialEq, Eq)]
pub struct NewEmailToken {
    pub token_hash: String,
    pub account_id: String,
    pub purpose: TokenPurpose,
    /// The address being confirmed, for [`TokenPurpose::EmailChange`] only.
    pub new_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewEmailToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewEmailToken")
            .field("account_id", &self.account_id)
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

/// What a valid token stands for.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ValidToken {
    pub account_id: String,
    pub new_email: Option<String>,
}

impl std::fmt::Debug for ValidToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidToken")
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}
