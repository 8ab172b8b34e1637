//! Asking for the account's deletion: one transaction records the erasure request, deactivates
//! the account (every session ends), schedules the erasure's job for after the cool-off (or at
//! once) and mails the holder the status link.

use super::{ErasureError, Erasures, System};
use crate::{
    accounts::{Account, links, notices::Notice},
    jobs::{self, Job},
};
use chrono::{DateTime, Utc};
use domain::{Lang, RequestKind};
use store::{Actor, NewAuditEvent, StoreError, erasure::NewErasure, records::NewRightsRequest};

/// When to erase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// After the cool-off, so that signing in can still call it off.
    AfterCoolOff,
    /// At once: nothing can call it off.
    Now,
}

/// A scheduled erasure, as the holder is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requested {
    /// The status page's token (only its hash is stored).
    pub status_token: String,
    pub erase_after: DateTime<Utc>,
}

impl Erasures {
    #[tracing::instrument(name = "erasures.request", skip_all, fields(account = %account.id))]
    pub async fn request(
        &self,
        account: &Account,
        when: When,
        lang: Lang,
    ) -> Result<Requested, ErasureError> {
        if account.role != domain::Role::Customer {
            return Err(ErasureError::NotACustomer);
        }
        let id = account.id.as_str();
        if self.store.pending_erasure(id).await?.is_some() {
            return Err(ErasureError::AlreadyPending);
        }
        let subscriber = self
            .store
            .account_by_id(id)
            .await?
            .and_then(|row| row.provider_subscriber);
        let now = self.clock.now();
        let erase_after = match when {
            When::AfterCoolOff => {
                now + chrono::Duration::from_std(self.settings.cool_off)
                    .unwrap_or(chrono::Duration::days(7))
            }
            When::Now => now,
        };
        let erasure_id = uuid::Uuid::new_v4().simple().to_string();
        let (status_token, status_token_hash) = links::new_token();
        let at_provider = if subscriber.is_some() {
            "waiting"
        } else {
            "not-needed"
        };

        let mut tx = self.store.begin().await?;
        let request_id = tx
            .create_rights_request(&NewRightsRequest {
                account_id: id.to_owned(),
                kind: RequestKind::Erasure.as_str().to_owned(),
                status: "open".into(),
                category: None,
                details: match lang {
                    Lang::Nl => "Verwijder mijn account en al mijn gegevens".into(),
                    Lang::En => "Delete my account and all my data".into(),
                },
                received_at: now,
                closed_at: None,
            })
            .await?;
        let job = Job::Erasure {
            erasure: erasure_id.clone(),
        };
        let job_id = jobs::enqueue_at(tx.as_mut(), &job, None, now, erase_after).await?;
        let scheduled = tx
            .schedule_erasure(&NewErasure {
                id: erasure_id.clone(),
                status_token_hash,
                account_id: id.to_owned(),
                request_id,
                job_id,
                provider_subscriber: subscriber,
                notify_email: account.email.as_str().to_owned(),
                language: lang.code().to_owned(),
                requested_at: now,
                erase_after,
                steps: System::ALL
                    .into_iter()
                    .map(|system| match system {
                        System::Directory | System::Provider => (system.as_str(), at_provider),
                        _ => (system.as_str(), "waiting"),
                    })
                    .collect(),
            })
            .await;
        match scheduled {
            Err(StoreError::Duplicate { .. }) => return Err(ErasureError::AlreadyPending),
            other => other?,
        }
        let notice = Notice::ErasureScheduled {
            on: (when == When::AfterCoolOff)
                .then(|| self.facts.local_time().moment(erase_after, lang)),
            status_link: self.status_link(lang, &status_token),
        };
        self.queue(tx.as_mut(), account.email.as_str(), lang, notice)
            .await?;
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::Customer,
            action: "erasure.requested".into(),
            subject: Some(id.to_owned()),
        })
        .await?;
        tx.commit().await?;
        tracing::info!(erasure = %erasure_id, %erase_after, "account deactivated; erasure scheduled");
        Ok(Requested {
            status_token,
            erase_after,
        })
    }
}
