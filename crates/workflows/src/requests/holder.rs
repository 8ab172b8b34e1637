//! The holder's side: their requests, a request's thread, adding information, withdrawing.

use super::{RequestSummary, Requests, Thread, WorkError, event, text};
use crate::accounts::notices::Notice;
use domain::{AccountId, Lang};
use store::{
    StoreError,
    records::{DeadlineChange, Page, RightsRequestRow, StaffAccessRow},
};

impl Requests {
    /// Every request of the holder, newest first.
    pub async fn of_holder(&self, account: &AccountId) -> Result<Vec<RequestSummary>, StoreError> {
        Ok(self
            .store
            .rights_requests(account.as_str(), Page::ALL)
            .await?
            .into_iter()
            .map(|row| self.summary(row))
            .collect())
    }

    /// Who at the company opened the holder's data, newest first.
    pub async fn accesses(&self, account: &AccountId) -> Result<Vec<StaffAccessRow>, StoreError> {
        self.store.staff_accesses(account.as_str(), Page::ALL).await
    }

    /// One of the holder's requests with its thread.
    pub async fn holder_thread(&self, account: &AccountId, id: i64) -> Result<Thread, WorkError> {
        let row = self.own(account, id).await?;
        Ok(self.thread(row).await?)
    }

    /// The holder adds information or a question. When staff were waiting for it, the clock
    /// runs again. The staff member working it (or the privacy mailbox) is told by mail.
    #[tracing::instrument(name = "requests.add_message", skip_all, fields(request = id))]
    pub async fn add_message(
        &self,
        account: &AccountId,
        id: i64,
        body: &str,
    ) -> Result<(), WorkError> {
        let row = self.own(account, id).await?;
        let body = text("body", body)?;
        if row.status != "open" {
            return Err(WorkError::NotOpen);
        }
        let summary = self.summary(row.clone());
        let now = self.clock.now();
        let staff = match &row.assigned_to {
            Some(staff) => self.store.account_by_id(staff).await?,
            None => None,
        };
        let (to, lang) = match &staff {
            Some(staff) => (
                staff.email.clone(),
                Lang::from_code(&staff.language).unwrap_or_default(),
            ),
            None => (self.facts.privacy_contact.as_str().to_owned(), Lang::Nl),
        };
        let mut tx = self.store.begin().await?;
        tx.add_request_event(&event(id, "holder", None, "message", &body, now))
            .await?;
        if summary.deadline.paused() {
            let resumed = summary.deadline.resume(self.local_date(now));
            tx.set_request_deadline(id, &change(&resumed)).await?;
        }
        let link = self.site.page(lang, &format!("admin/requests/{id}"));
        self.queue_mail(tx.as_mut(), &to, lang, Notice::RequestMessage { id, link })
            .await?;
        tx.commit().await?;
        tracing::info!("the holder wrote");
        Ok(())
    }

    /// The holder withdraws a request that is still open.
    #[tracing::instrument(name = "requests.cancel", skip_all, fields(request = id))]
    pub async fn cancel(&self, account: &AccountId, id: i64) -> Result<(), WorkError> {
        self.own(account, id).await?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        if !tx.finish_request(id, "cancelled", None, now).await? {
            return Err(WorkError::NotOpen);
        }
        tx.add_request_event(&event(id, "holder", None, "cancelled", "", now))
            .await?;
        tx.commit().await?;
        tracing::info!("request withdrawn");
        Ok(())
    }

    /// The request when it is the holder's; otherwise "not found".
    async fn own(&self, account: &AccountId, id: i64) -> Result<RightsRequestRow, WorkError> {
        match self.store.rights_request(id).await? {
            Some(row) if row.account_id.as_deref() == Some(account.as_str()) => Ok(row),
            _ => Err(WorkError::NotFound),
        }
    }
}

/// A deadline as the store keeps it.
pub(super) fn change(deadline: &domain::Deadline) -> DeadlineChange {
    DeadlineChange {
        extended_months: i64::from(deadline.extended_months),
        paused_days: i64::from(deadline.paused_days),
        paused_since: deadline.paused_since,
    }
}
