//! Rights that need a person (Arts 16, 18, 21(1) GDPR) are filed as requests with the holder's
//! statement or reason, for staff to answer; an objection to direct marketing (Art. 21(2)–(3))
//! takes effect at once and is recorded as a request that settled itself.

use super::{
    MyData,
    recipients::{Supplier, reaches_suppliers},
};
use domain::{AccountId, RequestKind, RequestStatus, StatementProblem, request::statement};
use store::{
    Actor, NewAuditEvent, StoreError,
    records::{Channel, NewNotice, NewRightsRequest, NoticeCause},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestProblem {
    /// Not a kind that can be filed here.
    Kind,
    /// Not a category of the catalogue.
    Category,
    Statement(StatementProblem),
}

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// Field by field, what is wrong; nothing was filed.
    #[error("the request has problems")]
    Invalid(Vec<(&'static str, RequestProblem)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MyData {
    /// Files a request for staff; returns its id. `category` (a catalogue id) is what it
    /// concerns, or empty for the data as a whole. A correction or restriction it leads to will
    /// have to be passed on to the data's recipients: they are recorded now, to be told.
    #[tracing::instrument(name = "my_data.file_request", skip_all, fields(account = %account))]
    pub async fn file_request(
        &self,
        account: &AccountId,
        kind: &str,
        category: &str,
        details: &str,
    ) -> Result<i64, RequestError> {
        let mut problems = Vec::new();
        let kind = RequestKind::parse(kind).filter(|k| RequestKind::FILED_FROM_PORTAL.contains(k));
        if kind.is_none() {
            problems.push(("kind", RequestProblem::Kind));
        }
        let category = match category.trim() {
            "" => None,
            id if self.facts.catalogue().any(|d| d.category.id == id) => Some(id.to_owned()),
            _ => {
                problems.push(("category", RequestProblem::Category));
                None
            }
        };
        let details = statement(details)
            .map_err(|p| problems.push(("details", RequestProblem::Statement(p))))
            .ok();
        let (Some(kind), Some(details), true) = (kind, details, problems.is_empty()) else {
            return Err(RequestError::Invalid(problems));
        };

        let recipients = if kind.tells_recipients() {
            self.recipients_of(account, category.as_deref()).await?
        } else {
            Vec::new()
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let id = tx
            .create_rights_request(&NewRightsRequest {
                account_id: account.as_str().to_owned(),
                kind: kind.as_str().to_owned(),
                status: RequestStatus::Open.as_str().to_owned(),
                category,
                details,
                received_at: now,
                closed_at: None,
            })
            .await?;
        for recipient in recipients {
            tx.record_notice(&NewNotice {
                account_id: account.as_str().to_owned(),
                cause: NoticeCause::Request(id),
                recipient,
                channel: Channel::Staff,
                created_at: now,
            })
            .await?;
        }
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::Customer,
            action: format!("request.filed.{}", kind.as_str()),
            subject: Some(account.as_str().to_owned()),
        })
        .await?;
        tx.commit().await?;
        tracing::info!(request = id, kind = kind.as_str(), "request filed");
        Ok(id)
    }

    /// Records the holder's objection to direct marketing (from now on none is sent), or with
    /// `object == false` withdraws it. Objecting again changes nothing.
    #[tracing::instrument(name = "my_data.object_to_marketing", skip_all, fields(account = %account))]
    pub async fn object_to_marketing(
        &self,
        account: &AccountId,
        object: bool,
    ) -> Result<(), StoreError> {
        let Some(row) = self.store.account_by_id(account.as_str()).await? else {
            return Ok(());
        };
        if row.marketing_objection_at.is_some() == object {
            return Ok(());
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.set_marketing_objection(account.as_str(), object.then_some(now))
            .await?;
        if object {
            // Art. 21(3): no weighing, no waiting — the request is settled as it is made.
            tx.create_rights_request(&NewRightsRequest {
                account_id: account.as_str().to_owned(),
                kind: RequestKind::Objection.as_str().to_owned(),
                status: RequestStatus::Closed.as_str().to_owned(),
                category: Some("account".to_owned()),
                details: DIRECT_MARKETING.to_owned(),
                received_at: now,
                closed_at: Some(now),
            })
            .await?;
        }
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::Customer,
            action: if object {
                "marketing.objected".into()
            } else {
                "marketing.objection_withdrawn".into()
            },
            subject: Some(account.as_str().to_owned()),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who received the data of a category (or of any, for `None`), by name.
    async fn recipients_of(
        &self,
        account: &AccountId,
        category: Option<&str>,
    ) -> Result<Vec<String>, StoreError> {
        let provider_held = |id: &str| {
            self.facts
                .catalogue()
                .any(|d| d.category.id == id && d.held_by() == domain::Holder::Provider)
        };
        let mut names = Vec::new();
        let subscriber = self
            .store
            .account_by_id(account.as_str())
            .await?
            .is_some_and(|row| row.provider_subscriber.is_some());
        if subscriber && category.is_none_or(provider_held) {
            names.push(self.facts.provider.display_name.clone());
        }
        if category.is_none_or(reaches_suppliers) {
            let suppliers: Vec<Supplier> = self.suppliers(account).await?;
            names.extend(suppliers.into_iter().map(|s| s.name));
        }
        Ok(names)
    }
}

/// What a self-settled objection to direct marketing says it is about.
pub const DIRECT_MARKETING: &str = "direct-marketing";
