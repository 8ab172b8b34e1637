//! The erasure's job: the systems one after another, each step recorded when it ends, so that a
//! rerun (after a crash, a lost lease, an outage) goes on where the last one stopped and does
//! nothing twice.

use super::{Erasures, System};
use crate::{
    accounts::{notices::Notice, throttle},
    jobs::{
        Job, Step, describe_failure,
        provider_jobs::{self, Progress},
    },
};
use domain::{AccountId, EmailAddress, Lang};
use provider::model::{IdempotencyKey, SubscriberId};
use std::collections::BTreeMap;
use store::{
    Actor, NewAuditEvent, StoreError,
    erasure::{AccountErasure, ErasureNoticeRow, ErasureRow},
};

impl Erasures {
    /// One attempt at an erasure.
    pub(crate) async fn run(&self, id: &str) -> Step {
        match self.try_run(id).await {
            Ok(step) => step,
            Err(error) => Step::Retry(format!("the erasure could not go on: {error}")),
        }
    }

    async fn try_run(&self, id: &str) -> Result<Step, StoreError> {
        let Some(mut erasure) = self.store.erasure(id).await? else {
            return Ok(Step::Done);
        };
        let now = self.clock.now();
        match erasure.status.as_str() {
            "cancelled" => return Ok(Step::Done),
            "scheduled" if erasure.erase_after > now => return Ok(Step::Wait(erasure.erase_after)),
            "scheduled" => {
                let mut tx = self.store.begin().await?;
                let started = tx.start_erasure(id, now).await?;
                tx.commit().await?;
                if !started {
                    // Called off by signing in a moment ago.
                    return Ok(Step::Done);
                }
                // What this attempt goes on with: it completes the erasure below.
                erasure.status = "running".to_owned();
                tracing::info!(erasure = %id, "erasure started");
            }
            _ => {}
        }
        let mut steps = self.steps(id).await?;
        if !finished(&steps, System::Portal) {
            self.erase_here(&erasure).await?;
            erasure.account_id = None;
            steps = self.steps(id).await?;
        }
        let subscriber = erasure
            .provider_subscriber
            .as_deref()
            .and_then(|s| SubscriberId::parse(s).ok());
        for system in [System::Directory, System::Provider] {
            if finished(&steps, system) {
                continue;
            }
            let Some(subscriber) = &subscriber else {
                self.set_step(id, system, "not-needed", None).await?;
                continue;
            };
            if let Some(step) = self.at_provider(id, system, subscriber).await? {
                return Ok(step);
            }
        }
        if !finished(&steps, System::Recipients) {
            let notices = self.store.erasure_notices(id).await?;
            if !all_told(&notices, "recipient") {
                return Ok(Step::Running);
            }
            self.set_step(id, System::Recipients, "done", None).await?;
        }
        if erasure.status == "running" {
            self.complete(&erasure).await?;
            // Completing queued the confirmation (or found nobody to send it to).
            steps = self.steps(id).await?;
        }
        if !finished(&steps, System::Confirmation) {
            let notices = self.store.erasure_notices(id).await?;
            if !all_told(&notices, "holder") {
                return Ok(Step::Running);
            }
            self.set_step(id, System::Confirmation, "done", None)
                .await?;
        }
        tracing::info!(erasure = %id, "erasure finished; the tombstone stays");
        Ok(Step::Done)
    }

    /// The portal's part, in one transaction: files first (a rerun finds none), then the
    /// suppliers told, the data deleted, what the law keeps detached and pseudonymised.
    async fn erase_here(&self, erasure: &ErasureRow) -> Result<(), StoreError> {
        let now = self.clock.now();
        let account = match &erasure.account_id {
            Some(account) => self.store.account_by_id(account).await?,
            None => None,
        };
        let Some(account) = account else {
            // Nothing left here (erased by an attempt whose step update was lost).
            let mut tx = self.store.begin().await?;
            tx.set_erasure_step(&erasure.id, "portal", "done", None, now)
                .await?;
            tx.set_erasure_step(&erasure.id, "recipients", "not-needed", None, now)
                .await?;
            return tx.commit().await;
        };
        for export in self.store.exports(&account.id, u32::MAX).await? {
            self.exports
                .remove_files(&export.id)
                .map_err(|e| StoreError::Corrupt(format!("an export's file stays: {e}")))?;
        }
        let suppliers = self
            .my_data
            .suppliers(&AccountId::from_stored(account.id.clone()))
            .await?;
        let failures_key = EmailAddress::parse(&account.email)
            .map(|email| throttle::account_key(&email))
            .unwrap_or_default();

        let mut tx = self.store.begin().await?;
        for supplier in &suppliers {
            let mail_id = tx
                .enqueue_mail(&self.my_data.erasure_mail(supplier, now))
                .await?;
            tx.record_erasure_notice(&erasure.id, "recipient", &supplier.name, mail_id)
                .await?;
        }
        let recipients = if suppliers.is_empty() {
            "not-needed"
        } else {
            "pending"
        };
        tx.set_erasure_step(&erasure.id, "recipients", recipients, None, now)
            .await?;
        tx.erase_account(&AccountErasure {
            erasure_id: erasure.id.clone(),
            account_id: account.id.clone(),
            request_id: erasure.request_id,
            email_key: account.email_key.clone(),
            failures_key,
            pseudonym: pseudonym(&erasure.id),
            at: now,
        })
        .await?;
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::System,
            action: "erasure.portal_erased".into(),
            subject: Some(pseudonym(&erasure.id)),
        })
        .await?;
        tx.commit().await?;
        tracing::info!(erasure = %erasure.id, suppliers = suppliers.len(), "the portal's data is erased");
        Ok(())
    }

    /// The directory listing or the provider's data. `None` when the step is done; else what
    /// the job does next.
    async fn at_provider(
        &self,
        id: &str,
        system: System,
        subscriber: &SubscriberId,
    ) -> Result<Option<Step>, StoreError> {
        let (job, name) = match system {
            System::Directory => (
                Job::ProviderUnlist {
                    subscriber: subscriber.clone(),
                },
                "unlist",
            ),
            _ => (
                Job::ProviderErase {
                    subscriber: subscriber.clone(),
                },
                "erase",
            ),
        };
        // Derived from the erasure, so every attempt sends the same key.
        let Some(key) = IdempotencyKey::new(format!("erasure-{id}-{name}")) else {
            return Ok(Some(Step::Dead("the erasure's key is not usable".into())));
        };
        match provider_jobs::perform(self.provider.as_ref(), &job, &key).await {
            Ok(Progress::Done) => {
                self.set_step(id, system, "done", None).await?;
                tracing::info!(erasure = %id, step = system.as_str(), "done at the provider");
                Ok(None)
            }
            Ok(Progress::Running) => {
                self.set_step(id, system, "pending", None).await?;
                Ok(Some(Step::Running))
            }
            Ok(Progress::OperationFailed) => {
                let detail = "the provider could not carry out the operation";
                self.set_step(id, system, "failed", Some(detail)).await?;
                Ok(Some(Step::Dead(detail.into())))
            }
            Err(error) => {
                let detail = describe_failure(&error);
                self.set_step(id, system, "failed", Some(&detail)).await?;
                Ok(Some(Step::Provider(error)))
            }
        }
    }

    /// Every system is done: the request closes, the holder is told at the address kept for
    /// that, and the address is forgotten — in one transaction.
    async fn complete(&self, erasure: &ErasureRow) -> Result<(), StoreError> {
        let now = self.clock.now();
        let lang = Lang::from_code(&erasure.language).unwrap_or_default();
        // The confirmation says only what happened: the provider and the directory when they
        // held this account, the recipients when there were any.
        let steps = self.steps(&erasure.id).await?;
        let done = |system: &str| steps.get(system).is_some_and(|state| state == "done");
        let mut tx = self.store.begin().await?;
        if !tx.complete_erasure(&erasure.id, now).await? {
            return Ok(());
        }
        if let Some(request) = erasure.request_id {
            tx.close_rights_request(request, now).await?;
        }
        match &erasure.notify_email {
            Some(address) => {
                let notice = Notice::ErasureCompleted {
                    kept: self.kept_lines(lang),
                    provider: done("provider").then(|| self.facts.provider.display_name.clone()),
                    directory: done("directory"),
                    recipients: done("recipients"),
                };
                let mail_id = self.queue(tx.as_mut(), address, lang, notice).await?;
                tx.record_erasure_notice(&erasure.id, "holder", "", mail_id)
                    .await?;
                tx.set_erasure_step(&erasure.id, "confirmation", "pending", None, now)
                    .await?;
            }
            None => {
                tx.set_erasure_step(&erasure.id, "confirmation", "not-needed", None, now)
                    .await?;
            }
        }
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::System,
            action: "erasure.completed".into(),
            subject: Some(pseudonym(&erasure.id)),
        })
        .await?;
        tx.commit().await?;
        tracing::info!(erasure = %erasure.id, "erasure complete; confirmation queued");
        Ok(())
    }

    async fn steps(&self, id: &str) -> Result<BTreeMap<String, String>, StoreError> {
        Ok(self
            .store
            .erasure_steps(id)
            .await?
            .into_iter()
            .map(|s| (s.system, s.state))
            .collect())
    }

    async fn set_step(
        &self,
        id: &str,
        system: System,
        state: &str,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.store.begin().await?;
        tx.set_erasure_step(id, system.as_str(), state, detail, self.clock.now())
            .await?;
        tx.commit().await
    }
}

/// What the audit trail says instead of an erased account's id.
pub(super) fn pseudonym(erasure: &str) -> String {
    format!("erased:{erasure}")
}

fn finished(steps: &BTreeMap<String, String>, system: System) -> bool {
    matches!(
        steps.get(system.as_str()).map(String::as_str),
        Some("done" | "not-needed")
    )
}

fn all_told(notices: &[ErasureNoticeRow], kind: &str) -> bool {
    notices
        .iter()
        .filter(|n| n.kind == kind)
        .all(|n| n.told_at.is_some())
}
