//! What the account holder asks of the provider (Operator Online) and where each request
//! stands. Every request is a durable job written with its audit row in one transaction; the
//! holder sees it as pending, with its last attempt, until the provider has confirmed it.

use crate::jobs::{self, Job, JobState, JobView};
use domain::{AccountId, Clock};
use provider::model::SubscriberId;
use std::sync::Arc;
use store::{Actor, NewAuditEvent, Store, StoreError};

/// How many of an account's requests are shown.
const SHOWN: u32 = 50;

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The account is not a subscriber at the provider: there is nothing there to act on.
    #[error("the account holds no data at the provider")]
    NotASubscriber,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An account's standing with the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub subscriber: Option<SubscriberId>,
    /// Newest first.
    pub requests: Vec<JobView>,
}

#[derive(Clone)]
pub struct ProviderRequests {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl ProviderRequests {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    async fn subscriber(&self, account: &AccountId) -> Result<Option<SubscriberId>, StoreError> {
        let Some(row) = self.store.account_by_id(account.as_str()).await? else {
            return Ok(None);
        };
        row.provider_subscriber
            .map(|id| {
                SubscriberId::parse(&id)
                    .map_err(|_| StoreError::Corrupt(format!("account {}: subscriber", row.id)))
            })
            .transpose()
    }

    pub async fn overview(&self, account: &AccountId) -> Result<Overview, RequestError> {
        Ok(Overview {
            subscriber: self.subscriber(account).await?,
            requests: JobView::of_account(self.store.as_ref(), account.as_str(), SHOWN).await?,
        })
    }

    /// Asks the provider to remove every number of the account holder from the telephone
    /// directory. Asking again while a request is pending adds nothing; returns the job's id.
    pub async fn unlist_directory(&self, account: &AccountId) -> Result<i64, RequestError> {
        let subscriber = self
            .subscriber(account)
            .await?
            .ok_or(RequestError::NotASubscriber)?;
        let job = Job::ProviderUnlist { subscriber };
        let pending = JobView::of_account(self.store.as_ref(), account.as_str(), SHOWN)
            .await?
            .into_iter()
            .find(|v| v.kind == job.kind() && matches!(v.state, JobState::Pending { .. }));
        if let Some(pending) = pending {
            return Ok(pending.id);
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let id = jobs::enqueue(tx.as_mut(), &job, Some(account.as_str()), now).await?;
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::Customer,
            action: "provider.unlist_requested".into(),
            subject: Some(account.as_str().to_owned()),
        })
        .await?;
        tx.commit().await?;
        tracing::info!(job = id, "directory unlisting requested");
        Ok(id)
    }
}
