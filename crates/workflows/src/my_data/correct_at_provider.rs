//! Correcting data held at the provider (Art. 16 GDPR): the change is a durable job, written
//! with the correction record and the audit row in one transaction; the holder sees it pending
//! until the provider has applied it. Only fields the holder can know better than we do are
//! offered: the names and place a number or directory entry is listed under.

use super::MyData;
use crate::jobs::{self, Job};
use domain::{AccountId, ProfileProblem, profile};
use provider::model::{Correction, FieldChange, SubscriberId};
use store::{
    Actor, NewAuditEvent, StoreError,
    profile::NewCorrection,
    records::{Channel, NewNotice, NoticeCause},
};

/// The provider fields a holder may correct.
pub const CORRECTABLE: [&str; 3] = ["holder_name", "name", "city"];

#[derive(Debug, thiserror::Error)]
pub enum ProviderCorrectionError {
    #[error("the value is not acceptable")]
    Invalid(ProfileProblem),
    /// Not a field the holder may correct, or an empty value.
    #[error("that field cannot be corrected here")]
    NotCorrectable,
    /// The account is not a subscriber at the provider.
    #[error("the provider holds no data of this account")]
    NotASubscriber,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MyData {
    /// Queues the correction of one field of one record at the provider; returns the job's id.
    #[tracing::instrument(name = "my_data.correct_at_provider", skip_all, fields(account = %account))]
    pub async fn correct_at_provider(
        &self,
        account: &AccountId,
        record_id: &str,
        field: &str,
        value: &str,
    ) -> Result<i64, ProviderCorrectionError> {
        let field = CORRECTABLE
            .into_iter()
            .find(|f| *f == field)
            .ok_or(ProviderCorrectionError::NotCorrectable)?;
        // Names here are often a company's ("Bakkerij De Vries 2000"): a line of text.
        let parsed = profile::text(value)
            .map_err(ProviderCorrectionError::Invalid)?
            .ok_or(ProviderCorrectionError::NotCorrectable)?;
        let record_id = profile::text(record_id)
            .ok()
            .flatten()
            .ok_or(ProviderCorrectionError::NotCorrectable)?;
        let subscriber = self
            .store
            .account_by_id(account.as_str())
            .await?
            .and_then(|row| row.provider_subscriber)
            .and_then(|id| SubscriberId::parse(&id).ok())
            .ok_or(ProviderCorrectionError::NotASubscriber)?;
        let category = if field == "holder_name" {
            "provider-numbers-services"
        } else {
            "provider-directory"
        };
        let job = Job::ProviderCorrect {
            subscriber,
            correction: Correction {
                changes: vec![FieldChange {
                    record_id,
                    field: field.to_owned(),
                    value: parsed,
                }],
            },
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let id = jobs::enqueue(tx.as_mut(), &job, Some(account.as_str()), now).await?;
        let correction = tx
            .record_correction(&NewCorrection {
                account_id: account.as_str().to_owned(),
                category: category.to_owned(),
                field: field.to_owned(),
                actor: Actor::Customer.as_str().to_owned(),
                corrected_at: now,
            })
            .await?;
        // Art. 19: the provider is the recipient, told by the job itself (told once it is done).
        tx.record_notice(&NewNotice {
            account_id: account.as_str().to_owned(),
            cause: NoticeCause::Correction(correction),
            recipient: self.facts.provider.display_name.clone(),
            channel: Channel::Provider(id),
            created_at: now,
        })
        .await?;
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::Customer,
            action: "provider.correction_requested".into(),
            subject: Some(account.as_str().to_owned()),
        })
        .await?;
        tx.commit().await?;
        tracing::info!(job = id, "correction at the provider queued");
        Ok(id)
    }
}
