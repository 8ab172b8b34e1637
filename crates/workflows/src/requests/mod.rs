//! Rights requests after they are filed: their deadlines (Art. 12(3) GDPR), the thread between
//! the person and staff, and the staff's work — assign, reply, ask for information (the clock
//! stops), extend with reasons, complete, refuse with the reasons and the remedies (Art. 12(4)),
//! answer a disclosure from configuration. Every time staff open a person's request, it is
//! logged, and the person sees it.
//!
//! Who may do what is checked by the caller (the server functions' roles); here, a holder only
//! ever reaches their own requests: anyone else's is "not found", like one that does not exist.

mod holder;
mod staff;

pub use staff::{Dashboard, QueueFilter, StaffMember};

use crate::accounts::{Site, notices::Notice};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use domain::{
    ClientFacts, Clock, Deadline, DeadlineError, Lang, RequestKind, RequestStatus, StatementProblem,
};
use std::sync::Arc;
use store::{
    Store, StoreError,
    records::{NewRequestEvent, RightsRequestRow},
};

/// Where a request stands, as the person and staff see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Being handled; the clock runs.
    Open,
    /// Staff asked the person for information; the clock stands still.
    Waiting,
    Completed,
    Refused,
    /// Withdrawn by the person (or ended by the account's erasure).
    Cancelled,
    /// Settled by itself (a self-service action).
    Closed,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::Waiting => "waiting",
            Stage::Completed => "completed",
            Stage::Refused => "refused",
            Stage::Cancelled => "cancelled",
            Stage::Closed => "closed",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Stage::Open | Stage::Waiting)
    }
}

/// A request with its deadline worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSummary {
    pub id: i64,
    pub account_id: Option<String>,
    pub kind: RequestKind,
    pub stage: Stage,
    pub category: Option<String>,
    pub details: String,
    pub received_at: DateTime<Utc>,
    pub deadline: Deadline,
    /// Days left until the deadline, negative when overdue (as of today in the zone).
    pub days_left: i64,
    pub overdue: bool,
    pub assigned_to: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Who wrote a step of the thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    Holder,
    Staff,
    System,
}

/// One step of a request's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub author: Author,
    /// `message`, `reply`, `info-requested`, `extended`, `completed`, `refused`, `cancelled`,
    /// `assigned`.
    pub kind: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// A request with its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub request: RequestSummary,
    pub events: Vec<Event>,
}

/// What is wrong with a staff member's or holder's input, field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkProblem {
    Text(StatementProblem),
    /// Not one of the choices offered.
    Choice,
    Deadline(DeadlineError),
}

#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// No such request, or not the holder's (the same answer, so ids reveal nothing).
    #[error("no such request")]
    NotFound,
    /// The request is closed already; nothing changed.
    #[error("the request is not open")]
    NotOpen,
    /// This action does not fit the request (a disclosure answer for a question).
    #[error("not possible for this request")]
    NotApplicable,
    #[error("the input has problems")]
    Invalid(Vec<(&'static str, WorkProblem)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The requests service.
#[derive(Clone)]
pub struct Requests {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    facts: Arc<ClientFacts>,
    site: Site,
    zone: Tz,
}

impl Requests {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        facts: Arc<ClientFacts>,
        site: Site,
        zone: Tz,
    ) -> Self {
        Self {
            store,
            clock,
            facts,
            site,
            zone,
        }
    }

    /// The time zone deadlines are counted and shown in.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Today's date in the zone.
    pub fn today(&self) -> NaiveDate {
        self.local_date(self.clock.now())
    }

    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// An instant as the person reads it: "24 november 2026 om 14:05".
    pub fn local_time(&self, at: DateTime<Utc>, lang: domain::Lang) -> String {
        domain::LocalTime::new(self.zone).moment(at, lang)
    }

    fn summary(&self, row: RightsRequestRow) -> RequestSummary {
        let deadline = Deadline {
            received: self.local_date(row.received_at),
            extended_months: u32::try_from(row.extended_months).unwrap_or(0),
            paused_days: u32::try_from(row.paused_days).unwrap_or(0),
            paused_since: row.paused_since,
        };
        let status = RequestStatus::parse(&row.status).unwrap_or(RequestStatus::Closed);
        let stage = match (status, row.outcome.as_deref()) {
            (RequestStatus::Open, _) if deadline.paused() => Stage::Waiting,
            (RequestStatus::Open, _) => Stage::Open,
            (RequestStatus::Cancelled, _) => Stage::Cancelled,
            (RequestStatus::Closed, Some("refused")) => Stage::Refused,
            (RequestStatus::Closed, Some("completed")) => Stage::Completed,
            (RequestStatus::Closed, _) => Stage::Closed,
        };
        let today = self.today();
        RequestSummary {
            id: row.id,
            account_id: row.account_id,
            kind: RequestKind::parse(&row.kind).unwrap_or(RequestKind::Question),
            stage,
            category: row.category,
            details: row.details,
            received_at: row.received_at,
            days_left: deadline.days_left(today),
            overdue: stage.is_open() && deadline.overdue(today),
            deadline,
            assigned_to: row.assigned_to,
            closed_at: row.closed_at,
        }
    }

    async fn thread(&self, row: RightsRequestRow) -> Result<Thread, StoreError> {
        let events = self
            .store
            .request_events(row.id)
            .await?
            .into_iter()
            .map(|e| Event {
                author: match e.author.as_str() {
                    "holder" => Author::Holder,
                    "staff" => Author::Staff,
                    _ => Author::System,
                },
                kind: e.kind,
                body: e.body,
                at: e.created_at,
            })
            .collect();
        Ok(Thread {
            request: self.summary(row),
            events,
        })
    }

    /// The holder's account row for a request, for their address and language.
    async fn holder_of(
        &self,
        row: &RightsRequestRow,
    ) -> Result<Option<store::account::AccountRow>, StoreError> {
        match &row.account_id {
            Some(id) => self.store.account_by_id(id).await,
            None => Ok(None),
        }
    }

    /// Queues a mail in the transaction of its cause.
    async fn queue_mail(
        &self,
        tx: &mut dyn store::Transaction,
        to: &str,
        lang: Lang,
        notice: Notice,
    ) -> Result<i64, StoreError> {
        notice
            .queue(tx, to, lang, &self.site, self.clock.now())
            .await
    }
}

fn event(
    request_id: i64,
    author: &str,
    staff: Option<&str>,
    kind: &str,
    body: &str,
    at: DateTime<Utc>,
) -> NewRequestEvent {
    NewRequestEvent {
        request_id,
        author: author.to_owned(),
        staff_id: staff.map(str::to_owned),
        kind: kind.to_owned(),
        body: body.to_owned(),
        created_at: at,
    }
}

/// Free text of a message, reply or reason: the same rules as a request's statement.
fn text(field: &'static str, input: &str) -> Result<String, WorkError> {
    domain::request::statement(input)
        .map_err(|p| WorkError::Invalid(vec![(field, WorkProblem::Text(p))]))
}
