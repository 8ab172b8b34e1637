//! Outgoing e-mail waiting to be sent. A message is written in the same transaction as its cause
//! and deleted once the mail server has taken it; a failed attempt is retried later.

use chrono::{DateTime, Utc};

/// A message to queue.
#[derive(Clone, PartialEq, Eq)]
pub struct NewMail {
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
}

/// A queued message claimed for sending.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

macro_rules! opaque_debug {
    ($ty:ty) => {
        impl std::fmt::Debug for $ty {
            // The recipient and the body (which may hold a link's token) stay out of logs.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($ty)).finish_non_exhaustive()
            }
        }
    };
}

opaque_debug!(NewMail);
opaque_debug!(QueuedMail);
