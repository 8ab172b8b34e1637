//! The holder's records besides the account (contact-form messages, quote requests, invoices),
//! their rights requests, and the recipients told of a correction (Art. 19 GDPR), as stored.

use chrono::{DateTime, NaiveDate, Utc};

macro_rules! opaque_debug {
    ($ty:ty, $($field:ident),*) => {
        impl std::fmt::Debug for $ty {
            // Free text and addresses stay out of logs and panics.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }
    };
}

/// Which rows of a list to read: the newest `limit` with an id below `before` (all when
/// `before` is `None`). Lists are read newest first, so a long one is read page by page with
/// the last id of each page as the next page's `before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub before: Option<i64>,
    pub limit: u32,
}

impl Page {
    /// Every row at once (lists that are short by nature).
    pub const ALL: Page = Page {
        before: None,
        limit: u32::MAX,
    };

    pub fn first(limit: u32) -> Self {
        Page {
            before: None,
            limit,
        }
    }

    /// The page after one whose last row had `id`.
    pub fn after(self, id: i64) -> Self {
        Page {
            before: Some(id),
            ..self
        }
    }

    pub(crate) fn before_id(&self) -> i64 {
        self.before.unwrap_or(i64::MAX)
    }

    pub(crate) fn limit(&self) -> i64 {
        i64::from(self.limit)
    }
}

/// A message sent through the website's contact form.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ContactMessageRow {
    pub id: i64,
    pub account_id: String,
    pub subject: String,
    pub message: String,
    pub received_at: DateTime<Utc>,
}
opaque_debug!(ContactMessageRow, id);

/// A quote request, and the supplier it was shared with (when it was).
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuoteRequestRow {
    pub id: i64,
    pub account_id: String,
    pub service: String,
    pub details: String,
    pub requested_at: DateTime<Utc>,
    pub supplier_name: Option<String>,
    pub supplier_email: Option<String>,
    pub shared_at: Option<DateTime<Utc>>,
}
opaque_debug!(QuoteRequestRow, id);

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InvoiceRow {
    pub id: i64,
    pub account_id: String,
    pub number: String,
    pub description: String,
    pub amount_cents: i64,
    pub issued_at: DateTime<Utc>,
}
opaque_debug!(InvoiceRow, id, number);

/// A rights request as stored; `kind` and `status` are the domain's words.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RightsRequestRow {
    pub id: i64,
    pub account_id: Option<String>,
    pub kind: String,
    pub status: String,
    /// The catalogue category it concerns, if one.
    pub category: Option<String>,
    /// The holder's statement or reason.
    pub details: String,
    pub received_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Further months granted to answer (0–2).
    pub extended_months: i64,
    /// Days the deadline's clock stood still in pauses that ended.
    pub paused_days: i64,
    /// Since when the clock stands still (waiting for the person's answer).
    pub paused_since: Option<NaiveDate>,
    /// The staff member working it.
    pub assigned_to: Option<String>,
    /// `completed` or `refused`, once closed by staff.
    pub outcome: Option<String>,
}
opaque_debug!(RightsRequestRow, id, kind, status);

#[derive(Clone, PartialEq, Eq)]
pub struct NewRightsRequest {
    pub account_id: String,
    pub kind: String,
    pub status: String,
    pub category: Option<String>,
    pub details: String,
    pub received_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}
opaque_debug!(NewRightsRequest, kind, status);

/// How a recipient is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// By e-mail (the mail's outbox id).
    Mail(i64),
    /// Through the provider's adapter (the job's id).
    Provider(i64),
    /// By staff, once they have made the correction a request asks for.
    Staff,
}

/// What a notice is about: a correction made, or a request still to be carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeCause {
    Correction(i64),
    Request(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub account_id: String,
    pub cause: NoticeCause,
    /// The recipient's name, as the holder knows it.
    pub recipient: String,
    pub channel: Channel,
    pub created_at: DateTime<Utc>,
}

/// A recipient told, or to be told, of a correction.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub correction_id: Option<i64>,
    pub request_id: Option<i64>,
    pub recipient: String,
    /// `mail`, `provider` or `staff`.
    pub channel: String,
    pub created_at: DateTime<Utc>,
    pub told_at: Option<DateTime<Utc>>,
}

/// One step in a request's history or thread.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RequestEventRow {
    pub id: i64,
    pub request_id: i64,
    /// `holder`, `staff` or `system`.
    pub author: String,
    pub staff_id: Option<String>,
    /// `filed`, `message`, `reply`, `info-requested`, `extended`, `completed`, `refused`,
    /// `cancelled`, `assigned`.
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}
opaque_debug!(RequestEventRow, id, request_id, author, kind);

#[derive(Clone, PartialEq, Eq)]
pub struct NewRequestEvent {
    pub request_id: i64,
    pub author: String,
    pub staff_id: Option<String>,
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}
opaque_debug!(NewRequestEvent, request_id, author, kind);

/// What moves a request's deadline, as it is to be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineChange {
    pub extended_months: i64,
    pub paused_days: i64,
    pub paused_since: Option<NaiveDate>,
}

/// A staff member opened a person's data.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffAccessRow {
    pub id: i64,
    pub account_id: String,
    pub staff_id: Option<String>,
    pub staff_email: String,
    pub staff_role: String,
    /// What for, in the portal's words (`request:12`).
    pub purpose: String,
    pub accessed_at: DateTime<Utc>,
}
opaque_debug!(StaffAccessRow, id, staff_role, purpose);

#[derive(Clone, PartialEq, Eq)]
pub struct NewStaffAccess {
    pub account_id: String,
    pub staff_id: String,
    pub staff_email: String,
    pub staff_role: String,
    pub purpose: String,
    pub accessed_at: DateTime<Utc>,
}
opaque_debug!(NewStaffAccess, staff_role, purpose);
