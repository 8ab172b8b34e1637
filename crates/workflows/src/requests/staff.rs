//! The staff's side: the queue and its dashboard, opening a request (logged, and shown to the
//! person), and the actions on it. Each action is one transaction with its history step and
//! the mail that tells the person.

use super::{
    RequestSummary, Requests, Stage, Thread, WorkError, WorkProblem, event, holder::change, text,
};
use crate::accounts::notices::{Notice, RequestNews};
use domain::{Lang, RequestKind, Role};
use store::{
    StoreError,
    job::JobRow,
    records::{NewStaffAccess, RightsRequestRow},
};

/// The staff member acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: String,
    pub email: String,
    pub role: Role,
}

/// Which requests the queue shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub kind: Option<RequestKind>,
    /// `open` (the default: open and waiting), `waiting`, `closed` (however they ended), `all`.
    pub status: String,
    pub overdue: bool,
    /// Due within seven days (overdue ones included).
    pub due_soon: bool,
    pub mine: bool,
}

/// The counts at the top of the queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dashboard {
    pub open: usize,
    pub waiting: usize,
    pub due_soon: usize,
    pub overdue: usize,
    /// Provider jobs that gave up and wait for a person.
    pub parked_jobs: usize,
}

/// How many requests the queue reads per status: far more than a support desk has open.
const QUEUE_LIMIT: u32 = 2000;
const SOON_DAYS: i64 = 7;

impl Requests {
    /// The requests the filter asks for, the nearest deadline first.
    pub async fn queue(
        &self,
        staff: &StaffMember,
        filter: &QueueFilter,
    ) -> Result<Vec<RequestSummary>, StoreError> {
        let statuses: &[&str] = match filter.status.as_str() {
            "closed" => &["closed", "cancelled"],
            "all" => &["open", "closed", "cancelled"],
            _ => &["open"],
        };
        let mut rows = Vec::new();
        for status in statuses {
            rows.extend(self.store.requests_with_status(status, QUEUE_LIMIT).await?);
        }
        let mut list: Vec<RequestSummary> = rows
            .into_iter()
            .map(|row| self.summary(row))
            .filter(|r| filter.kind.is_none_or(|k| r.kind == k))
            .filter(|r| filter.status != "waiting" || r.stage == Stage::Waiting)
            .filter(|r| !filter.overdue || r.overdue)
            .filter(|r| !filter.due_soon || (r.stage == Stage::Open && r.days_left <= SOON_DAYS))
            .filter(|r| !filter.mine || r.assigned_to.as_deref() == Some(staff.id.as_str()))
            .collect();
        list.sort_by_key(|r| (!r.stage.is_open(), r.deadline.due(), r.id));
        Ok(list)
    }

    pub async fn dashboard(&self) -> Result<Dashboard, StoreError> {
        let open: Vec<RequestSummary> = self
            .store
            .requests_with_status("open", QUEUE_LIMIT)
            .await?
            .into_iter()
            .map(|row| self.summary(row))
            .collect();
        let parked = self.store.jobs_with_status("dead", QUEUE_LIMIT).await?;
        Ok(Dashboard {
            open: open.len(),
            waiting: open.iter().filter(|r| r.stage == Stage::Waiting).count(),
            due_soon: open
                .iter()
                .filter(|r| r.stage == Stage::Open && r.days_left <= SOON_DAYS)
                .count(),
            overdue: open.iter().filter(|r| r.overdue).count(),
            parked_jobs: parked.len(),
        })
    }

    /// A request with its thread and the person's provider jobs, for staff. Logged as an
    /// opening of the person's data, which the person sees.
    #[tracing::instrument(name = "requests.open", skip_all, fields(request = id))]
    pub async fn open(
        &self,
        staff: &StaffMember,
        id: i64,
    ) -> Result<(Thread, Vec<JobRow>), WorkError> {
        let row = self
            .store
            .rights_request(id)
            .await?
            .ok_or(WorkError::NotFound)?;
        let jobs = match &row.account_id {
            Some(account) => {
                self.store
                    .record_staff_access(&NewStaffAccess {
                        account_id: account.clone(),
                        staff_id: staff.id.clone(),
                        staff_email: staff.email.clone(),
                        staff_role: staff.role.as_str().to_owned(),
                        purpose: format!("request:{id}"),
                        accessed_at: self.clock.now(),
                    })
                    .await?;
                self.store.account_jobs(account, 50).await?
            }
            None => Vec::new(),
        };
        Ok((self.thread(row).await?, jobs))
    }

    /// Takes a request on (or gives it back with `take == false`).
    pub async fn assign(&self, staff: &StaffMember, id: i64, take: bool) -> Result<(), WorkError> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        if !tx
            .assign_request(id, take.then_some(staff.id.as_str()))
            .await?
        {
            return Err(self.missing_or_closed(id).await);
        }
        let kind = if take { "assigned" } else { "unassigned" };
        tx.add_request_event(&event(id, "staff", Some(&staff.id), kind, "", now))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A message to the person; the request stays open.
    pub async fn reply(&self, staff: &StaffMember, id: i64, body: &str) -> Result<(), WorkError> {
        let row = self.open_row(id).await?;
        let body = text("body", body)?;
        self.act(staff, &row, "reply", &body, RequestNews::Reply, None)
            .await
    }

    /// Asks the person for information: the clock stops until they answer.
    pub async fn ask_info(
        &self,
        staff: &StaffMember,
        id: i64,
        body: &str,
    ) -> Result<(), WorkError> {
        let row = self.open_row(id).await?;
        let body = text("body", body)?;
        let summary = self.summary(row.clone());
        let paused = summary
            .deadline
            .pause(self.today())
            .map_err(|p| WorkError::Invalid(vec![("body", WorkProblem::Deadline(p))]))?;
        self.act(
            staff,
            &row,
            "info-requested",
            &body,
            RequestNews::InfoRequested,
            Some(paused),
        )
        .await
    }

    /// Grants `months` (1 or 2) further months, with the reason the person is sent. Refused
    /// after the original deadline and beyond two months in all.
    pub async fn extend(
        &self,
        staff: &StaffMember,
        id: i64,
        months: &str,
        reason: &str,
    ) -> Result<(), WorkError> {
        let row = self.open_row(id).await?;
        let mut problems = Vec::new();
        let months = months
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=domain::deadline::MAX_EXTENSION_MONTHS).contains(m));
        if months.is_none() {
            problems.push(("months", WorkProblem::Choice));
        }
        let reason = domain::request::statement(reason)
            .map_err(|p| problems.push(("reason", WorkProblem::Text(p))))
            .ok();
        let (Some(months), Some(reason), true) = (months, reason, problems.is_empty()) else {
            return Err(WorkError::Invalid(problems));
        };
        let summary = self.summary(row.clone());
        let extended = summary
            .deadline
            .extend(months, self.today())
            .map_err(|p| WorkError::Invalid(vec![("months", WorkProblem::Deadline(p))]))?;
        let news = RequestNews::Extended {
            due: extended.due(),
        };
        self.act(staff, &row, "extended", &reason, news, Some(extended))
            .await
    }

    /// Closes the request as done, with a last message.
    pub async fn complete(
        &self,
        staff: &StaffMember,
        id: i64,
        body: &str,
    ) -> Result<(), WorkError> {
        let row = self.open_row(id).await?;
        let body = text("body", body)?;
        self.finish(staff, &row, "completed", &body).await
    }

    /// Refuses the request with reasons; the right to complain to the authority and to go to
    /// court (Art. 12(4) GDPR) are added in the person's language.
    pub async fn refuse(
        &self,
        staff: &StaffMember,
        id: i64,
        reason: &str,
    ) -> Result<(), WorkError> {
        let row = self.open_row(id).await?;
        let reason = text("reason", reason)?;
        let lang = self.holder_lang(&row).await?;
        let authority = &self.facts.authority;
        let remedies = match lang {
            Lang::Nl => format!(
                "Ben je het hier niet mee eens? Je kunt een klacht indienen bij de {} ({}), en je kunt naar de rechter stappen (artikel 79 AVG).",
                authority.name, authority.complaint_url
            ),
            Lang::En => format!(
                "Do you disagree? You can lodge a complaint with the {} ({}), and you can go to court (Article 79 GDPR).",
                authority.name, authority.complaint_url
            ),
        };
        self.finish(staff, &row, "refused", &format!("{reason}\n\n{remedies}"))
            .await
    }

    /// Answers a request for the provider's identity or its sub-processors from configuration,
    /// in the person's language, and completes it.
    pub async fn answer_disclosure(&self, staff: &StaffMember, id: i64) -> Result<(), WorkError> {
        let row = self.open_row(id).await?;
        let lang = self.holder_lang(&row).await?;
        let answer = match RequestKind::parse(&row.kind) {
            Some(RequestKind::ProviderIdentity) => {
                self.facts.provider.identity.get(lang).to_owned()
            }
            Some(RequestKind::SubProcessors) => {
                let intro = match lang {
                    Lang::Nl => format!(
                        "{} schakelt deze subverwerkers in:",
                        self.facts.provider.display_name
                    ),
                    Lang::En => format!(
                        "{} uses these sub-processors:",
                        self.facts.provider.display_name
                    ),
                };
                let lines: Vec<String> = self
                    .facts
                    .sub_processors
                    .iter()
                    .map(|s| format!("- {}: {} ({})", s.name, s.service.get(lang), s.location))
                    .collect();
                format!("{intro}\n{}", lines.join("\n"))
            }
            _ => return Err(WorkError::NotApplicable),
        };
        self.finish(staff, &row, "completed", &answer).await
    }

    /// Queues a parked provider job of the request's person again.
    pub async fn retry_job(
        &self,
        _staff: &StaffMember,
        id: i64,
        job: i64,
    ) -> Result<(), WorkError> {
        let row = self
            .store
            .rights_request(id)
            .await?
            .ok_or(WorkError::NotFound)?;
        let belongs = match (self.store.job(job).await?, &row.account_id) {
            (Some(job), Some(account)) => job.account_id.as_deref() == Some(account.as_str()),
            _ => false,
        };
        if !belongs {
            return Err(WorkError::NotFound);
        }
        if !self.store.retry_job(job, self.clock.now()).await? {
            return Err(WorkError::NotApplicable);
        }
        tracing::info!(request = id, job, "a parked job was queued again");
        Ok(())
    }

    async fn finish(
        &self,
        staff: &StaffMember,
        row: &RightsRequestRow,
        outcome: &str,
        body: &str,
    ) -> Result<(), WorkError> {
        let news = if outcome == "refused" {
            RequestNews::Refused
        } else {
            RequestNews::Completed
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        if !tx
            .finish_request(row.id, "closed", Some(outcome), now)
            .await?
        {
            return Err(WorkError::NotOpen);
        }
        tx.add_request_event(&event(row.id, "staff", Some(&staff.id), outcome, body, now))
            .await?;
        audit(tx.as_mut(), row, outcome, now).await?;
        self.tell_holder(tx.as_mut(), row, news).await?;
        tx.commit().await?;
        tracing::info!(request = row.id, outcome, "request closed");
        Ok(())
    }

    /// One step on an open request: its history, a new deadline if it moves, the person told.
    async fn act(
        &self,
        staff: &StaffMember,
        row: &RightsRequestRow,
        kind: &str,
        body: &str,
        news: RequestNews,
        deadline: Option<domain::Deadline>,
    ) -> Result<(), WorkError> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        if let Some(deadline) = deadline
            && !tx.set_request_deadline(row.id, &change(&deadline)).await?
        {
            return Err(WorkError::NotOpen);
        }
        tx.add_request_event(&event(row.id, "staff", Some(&staff.id), kind, body, now))
            .await?;
        audit(tx.as_mut(), row, kind, now).await?;
        self.tell_holder(tx.as_mut(), row, news).await?;
        tx.commit().await?;
        tracing::info!(request = row.id, step = kind, "staff acted");
        Ok(())
    }

    async fn tell_holder(
        &self,
        tx: &mut dyn store::Transaction,
        row: &RightsRequestRow,
        news: RequestNews,
    ) -> Result<(), StoreError> {
        let Some(holder) = self.holder_of(row).await? else {
            return Ok(());
        };
        let lang = Lang::from_code(&holder.language).unwrap_or_default();
        let link = self.site.page(lang, &format!("requests/{}", row.id));
        self.queue_mail(tx, &holder.email, lang, Notice::RequestNews { news, link })
            .await?;
        Ok(())
    }

    async fn holder_lang(&self, row: &RightsRequestRow) -> Result<Lang, StoreError> {
        Ok(self
            .holder_of(row)
            .await?
            .and_then(|h| Lang::from_code(&h.language))
            .unwrap_or_default())
    }

    async fn open_row(&self, id: i64) -> Result<RightsRequestRow, WorkError> {
        match self.store.rights_request(id).await? {
            Some(row) if row.status == "open" && row.account_id.is_some() => Ok(row),
            Some(_) => Err(WorkError::NotOpen),
            None => Err(WorkError::NotFound),
        }
    }

    async fn missing_or_closed(&self, id: i64) -> WorkError {
        match self.store.rights_request(id).await {
            Ok(Some(_)) => WorkError::NotOpen,
            Ok(None) => WorkError::NotFound,
            Err(e) => WorkError::Store(e),
        }
    }
}

/// The staff's step in the audit trail, about the person's account.
async fn audit(
    tx: &mut dyn store::Transaction,
    row: &RightsRequestRow,
    step: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    tx.record_audit(&store::NewAuditEvent {
        occurred_at: at,
        actor: store::Actor::Staff,
        action: format!("request.{step}"),
        subject: row.account_id.clone(),
    })
    .await
}
