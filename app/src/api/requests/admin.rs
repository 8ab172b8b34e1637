//! The staff's side (support and admins): the queue with its dashboard, a request with the
//! person's data, thread and provider jobs, and the actions on it; for admins the audit log.

use super::{RequestItem, ThreadView};
use crate::api::{AppError, CategoryView};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Who may work requests.
#[cfg(feature = "ssr")]
const STAFF: &[domain::Role] = &[domain::Role::Support, domain::Role::Admin];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub open: usize,
    pub waiting: usize,
    pub due_soon: usize,
    pub overdue: usize,
    pub parked_jobs: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub dashboard: DashboardView,
    pub items: Vec<RequestItem>,
}

/// A provider job of the person, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    /// `queued`, `done`, `dead` (parked: it gave up and waits for a person).
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminRequestView {
    pub thread: ThreadView,
    /// The person's address and language (none once the account is erased).
    pub person: Option<(String, String)>,
    pub categories: Vec<CategoryView>,
    pub jobs: Vec<JobView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
}

#[cfg(feature = "ssr")]
async fn staff() -> Result<workflows::requests::StaffMember, AppError> {
    let (_, account) = crate::auth::require_role(STAFF).await?;
    Ok(workflows::requests::StaffMember {
        id: account.id.as_str().to_owned(),
        email: account.email.as_str().to_owned(),
        role: account.role,
    })
}

/// The queue, the nearest deadline first, with the dashboard's counts.
#[server(endpoint = "admin/queue", input = server_fn::codec::GetUrl)]
pub async fn admin_queue(
    #[server(default)] lang: String,
    #[server(default)] kind: String,
    #[server(default)] status: String,
    #[server(default)] overdue: String,
    #[server(default)] due_soon: String,
    #[server(default)] mine: String,
) -> Result<QueueView, AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let me = staff().await?;
    let ctx = crate::context::ctx()?;
    let filter = workflows::requests::QueueFilter {
        kind: domain::RequestKind::parse(&kind),
        status,
        overdue: !overdue.is_empty(),
        due_soon: !due_soon.is_empty(),
        mine: !mine.is_empty(),
    };
    let fail = |e| crate::auth::fail(crate::auth::internal("the queue could not be read", e));
    let list = ctx.requests.queue(&me, &filter).await.map_err(fail)?;
    let d = ctx.requests.dashboard().await.map_err(fail)?;
    Ok(QueueView {
        dashboard: DashboardView {
            open: d.open,
            waiting: d.waiting,
            due_soon: d.due_soon,
            overdue: d.overdue,
            parked_jobs: d.parked_jobs,
        },
        items: list
            .iter()
            .map(|r| super::item(&ctx, r, Some(&me.id), lang))
            .collect(),
    })
}

/// One request for staff: opening it is logged, and the person sees that it was.
#[server(endpoint = "admin/request", input = server_fn::codec::GetUrl)]
pub async fn admin_request(lang: String, id: i64) -> Result<AdminRequestView, AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let me = staff().await?;
    let ctx = crate::context::ctx()?;
    let (thread, jobs) = ctx
        .requests
        .open(&me, id)
        .await
        .map_err(super::staff_work_error)?;
    let person = match &thread.request.account_id {
        Some(account) => ctx
            .my_data
            .store()
            .account_by_id(account)
            .await
            .map_err(|e| {
                crate::auth::fail(crate::auth::internal("an account could not be read", e))
            })?,
        None => None,
    };
    let categories = match &person {
        Some(row) => {
            crate::api::my_data::categories(
                &ctx,
                &domain::AccountId::from_stored(row.id.clone()),
                lang,
            )
            .await?
        }
        None => Vec::new(),
    };
    Ok(AdminRequestView {
        thread: super::thread(&ctx, thread, Some(&me.id), lang),
        person: person.map(|row| (row.email, row.language)),
        categories,
        jobs: jobs
            .into_iter()
            .map(|j| JobView {
                id: j.id,
                kind: j.kind,
                status: j.status,
                attempts: j.attempts,
                last_error: j.last_error,
            })
            .collect(),
    })
}

/// Where a staff form goes back to after it worked, with the notice that says what happened
/// (taking a request on sends nothing; a reply does).
#[cfg(feature = "ssr")]
fn back(lang: &str, id: i64, notice: &str) {
    let lang = domain::Lang::from_code(lang).unwrap_or_default();
    leptos_axum::redirect(&format!(
        "/{}/admin/requests/{id}?notice={notice}",
        lang.code()
    ));
}

/// Takes the request on (`take`), or gives it back.
#[server(endpoint = "admin/assign")]
pub async fn admin_assign(
    lang: String,
    id: i64,
    #[server(default)] take: bool,
) -> Result<(), AppError> {
    let me = staff().await?;
    crate::context::ctx()?
        .requests
        .assign(&me, id, take)
        .await
        .map_err(super::staff_work_error)?;
    back(
        &lang,
        id,
        if take {
            "request-taken"
        } else {
            "request-released"
        },
    );
    Ok(())
}

/// A message to the person.
#[server(endpoint = "admin/reply")]
pub async fn admin_reply(
    lang: String,
    id: i64,
    #[server(default)] body: String,
) -> Result<(), AppError> {
    let me = staff().await?;
    crate::context::ctx()?
        .requests
        .reply(&me, id, &body)
        .await
        .map_err(super::staff_work_error)?;
    back(&lang, id, "request-replied");
    Ok(())
}

/// Asks the person for information; the deadline stands still until they answer.
#[server(endpoint = "admin/ask_info")]
pub async fn admin_ask_info(
    lang: String,
    id: i64,
    #[server(default)] body: String,
) -> Result<(), AppError> {
    let me = staff().await?;
    crate::context::ctx()?
        .requests
        .ask_info(&me, id, &body)
        .await
        .map_err(super::staff_work_error)?;
    back(&lang, id, "request-info-asked");
    Ok(())
}

/// Extends the deadline by one or two months, with the reason sent to the person.
#[server(endpoint = "admin/extend")]
pub async fn admin_extend(
    lang: String,
    id: i64,
    #[server(default)] months: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let me = staff().await?;
    crate::context::ctx()?
        .requests
        .extend(&me, id, &months, &reason)
        .await
        .map_err(super::staff_work_error)?;
    back(&lang, id, "request-extended");
    Ok(())
}

/// Closes the request as done, with the answer.
#[server(endpoint = "admin/complete")]
pub async fn admin_complete(
    lang: String,
    id: i64,
    #[server(default)] body: String,
) -> Result<(), AppError> {
    let me = staff().await?;
    crate::context::ctx()?
        .requests
        .complete(&me, id, &body)
        .await
        .map_err(super::staff_work_error)?;
    back(&lang, id, "request-completed");
    Ok(())
}

/// Refuses the request with reasons; the remedies are added.
#[server(endpoint = "admin/refuse")]
pub async fn admin_refuse(
    lang: String,
    id: i64,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let me = staff().await?;
    crate::context::ctx()?
        .requests
        .refuse(&me, id, &reason)
        .await
        .map_err(super::staff_work_error)?;
    back(&lang, id, "request-refused");
    Ok(())
}

/// Answers a disclosure request (the provider's identity or sub-processors) from
/// configuration.
#[server(endpoint = "admin/answer_disclosure")]
pub async fn admin_answer_disclosure(lang: String, id: i64) -> Result<(), AppError> {
    let me = staff().await?;
    crate::context::ctx()?
        .requests
        .answer_disclosure(&me, id)
        .await
        .map_err(super::staff_work_error)?;
    back(&lang, id, "request-completed");
    Ok(())
}

/// Queues a parked provider job of the request's person again.
#[server(endpoint = "admin/retry_job")]
pub async fn admin_retry_job(lang: String, id: i64, job: i64) -> Result<(), AppError> {
    let me = staff().await?;
    crate::context::ctx()?
        .requests
        .retry_job(&me, id, job)
        .await
        .map_err(super::staff_work_error)?;
    back(&lang, id, "job-retried");
    Ok(())
}

/// The newest audit events (admins only).
#[server(endpoint = "admin/audit", input = server_fn::codec::GetUrl)]
pub async fn audit_log(#[server(default)] lang: String) -> Result<Vec<AuditView>, AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    crate::auth::require_role(&[domain::Role::Admin]).await?;
    let ctx = crate::context::ctx()?;
    let events = ctx.my_data.store().recent_audit(200).await.map_err(|e| {
        crate::auth::fail(crate::auth::internal("the audit log could not be read", e))
    })?;
    Ok(events
        .into_iter()
        .map(|e| AuditView {
            at: ctx.requests.local_time(e.occurred_at, lang),
            actor: e.actor.as_str().to_owned(),
            action: e.action,
            subject: e.subject,
        })
        .collect())
}
