//! Rights requests after filing: the holder's list and thread ("Mijn verzoeken"), and the
//! staff's queue and actions (support and admins), plus the admins' audit log.

mod admin;
mod holder;

pub use admin::{
    AdminAnswerDisclosure, AdminAskInfo, AdminAssign, AdminComplete, AdminExtend, AdminRefuse,
    AdminReply, AdminRequestView, AdminRetryJob, AuditView, DashboardView, JobView, QueueView,
    admin_queue, admin_request, audit_log,
};
pub use holder::{AddMessage, CancelRequest, my_request, my_requests};

use serde::{Deserialize, Serialize};

/// A request in a list, with its deadline in the person's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestItem {
    pub id: i64,
    pub kind: domain::RequestKind,
    /// `open`, `waiting`, `completed`, `refused`, `cancelled`, `closed`.
    pub stage: String,
    pub received: String,
    /// The last day to answer (`2026-12-24`).
    pub due: String,
    pub days_left: i64,
    pub overdue: bool,
    pub open: bool,
    pub extended_months: u32,
    /// Whether a staff member has taken it, and whether that is the one asking.
    pub assigned: bool,
    pub mine: bool,
}

/// One step of a request's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    /// `holder`, `staff`, `system`.
    pub author: String,
    pub kind: String,
    pub body: String,
    pub at: String,
}

/// A request with what was written on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub item: RequestItem,
    /// What the person wrote when filing.
    pub details: String,
    pub concerns: Option<String>,
    pub events: Vec<EventView>,
}

#[cfg(feature = "ssr")]
fn item(
    ctx: &crate::context::AppContext,
    r: &workflows::requests::RequestSummary,
    me: Option<&str>,
    lang: domain::Lang,
) -> RequestItem {
    RequestItem {
        id: r.id,
        kind: r.kind,
        stage: r.stage.as_str().to_owned(),
        received: ctx.requests.local_time(r.received_at, lang),
        due: domain::time::date(r.deadline.due(), lang),
        days_left: r.days_left,
        overdue: r.overdue,
        open: r.stage.is_open(),
        extended_months: r.deadline.extended_months,
        assigned: r.assigned_to.is_some(),
        mine: me.is_some() && r.assigned_to.as_deref() == me,
    }
}

#[cfg(feature = "ssr")]
fn thread(
    ctx: &crate::context::AppContext,
    t: workflows::requests::Thread,
    me: Option<&str>,
    lang: domain::Lang,
) -> ThreadView {
    use workflows::requests::Author;
    ThreadView {
        item: item(ctx, &t.request, me, lang),
        details: t.request.details.clone(),
        concerns: t.request.category.clone(),
        events: t
            .events
            .into_iter()
            .map(|e| EventView {
                author: match e.author {
                    Author::Holder => "holder",
                    Author::Staff => "staff",
                    Author::System => "system",
                }
                .to_owned(),
                kind: e.kind,
                body: e.body,
                at: ctx.requests.local_time(e.at, lang),
            })
            .collect(),
    }
}

/// The workflow's error at the boundary, with its status.
#[cfg(feature = "ssr")]
fn work_error(error: workflows::requests::WorkError) -> crate::api::AppError {
    worded_work_error(error, crate::api::Problem::Statement)
}

/// The same for staff: an empty text asks for the words to the customer, not the customer's own.
#[cfg(feature = "ssr")]
fn staff_work_error(error: workflows::requests::WorkError) -> crate::api::AppError {
    worded_work_error(error, crate::api::Problem::StaffText)
}

#[cfg(feature = "ssr")]
fn worded_work_error(
    error: workflows::requests::WorkError,
    text: fn(domain::StatementProblem) -> crate::api::Problem,
) -> crate::api::AppError {
    use crate::api::{AppError, FieldError, Problem};
    use workflows::requests::{WorkError, WorkProblem};
    crate::auth::fail(match error {
        WorkError::NotFound => AppError::NotFound,
        WorkError::NotOpen => AppError::Closed,
        WorkError::NotApplicable => AppError::field("action", Problem::ChoiceInvalid),
        WorkError::Invalid(problems) => AppError::Invalid(
            problems
                .into_iter()
                .map(|(field, problem)| FieldError {
                    field: field.to_owned(),
                    problem: match problem {
                        WorkProblem::Text(p) => text(p),
                        WorkProblem::Choice => Problem::ChoiceInvalid,
                        WorkProblem::Deadline(p) => Problem::Deadline(p),
                    },
                })
                .collect(),
        ),
        WorkError::Store(e) => crate::auth::internal("a request could not be worked on", e),
    })
}
