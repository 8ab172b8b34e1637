//! Calling a deletion off by signing in during the cool-off.

use super::{ErasureError, Erasures};
use crate::accounts::notices::Notice;
use domain::{AccountId, EmailAddress, Lang};
use store::{Actor, NewAuditEvent};

impl Erasures {
    /// The holder of a deactivated account signed in (password and code right): a scheduled
    /// erasure is called off and the account is active again. False when nothing was
    /// scheduled — the erasure has started, and the account cannot be used any more.
    #[tracing::instrument(name = "erasures.cancel", skip_all, fields(account = %account))]
    pub async fn cancel_on_sign_in(
        &self,
        account: &AccountId,
        email: &EmailAddress,
        lang: Lang,
    ) -> Result<bool, ErasureError> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let Some(erasure) = tx.cancel_erasure(account.as_str(), now).await? else {
            return Ok(false);
        };
        self.queue(tx.as_mut(), email.as_str(), lang, Notice::ErasureCancelled)
            .await?;
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::Customer,
            action: "erasure.cancelled".into(),
            subject: Some(account.as_str().to_owned()),
        })
        .await?;
        tx.commit().await?;
        tracing::info!(%erasure, "erasure called off by signing in");
        Ok(true)
    }
}
