use chrono::{DateTime, Utc};
use std::str::FromStr;

/// Who caused an audited event. Never a name or an address: the subject id says which record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    System,
    Customer,
    Staff,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::System => "system",
            Actor::Customer => "customer",
            Actor::Staff => "staff",
        }
    }
}

impl FromStr for Actor {
    type Err = crate::StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "system" => Ok(Actor::System),
            "customer" => Ok(Actor::Customer),
            "staff" => Ok(Actor::Staff),
            other => Err(crate::StoreError::Corrupt(format!(
                "unknown actor {other:?}"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    pub occurred_at: DateTime<Utc>,
    pub actor: Actor,
    /// A dotted verb, e.g. `policy.published`.
    pub action: String,
    /// An opaque id of the record acted on, if any.
    pub subject: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: Actor,
    pub action: String,
    pub subject: Option<String>,
}

/// The row as both backends return it.
#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = crate::StoreError;
    fn try_from(row: AuditRow) -> Result<Self, Self::Error> {
        Ok(AuditEvent {
            id: row.id,
            occurred_at: row.occurred_at,
            actor: row.actor.parse()?,
            action: row.action,
            subject: row.subject,
        })
    }
}
