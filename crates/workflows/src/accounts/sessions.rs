//! "My sessions": where the account is signed in, and ending the others.

use super::{Accounts, AccountsError, actor_of};
use domain::AccountId;
use store::session::SessionRow;

impl Accounts {
    /// The account's sessions, most recently used first.
    pub async fn sessions(&self, id: &AccountId) -> Result<Vec<SessionRow>, AccountsError> {
        Ok(self.store.account_sessions(id.as_str()).await?)
    }

    /// Ends every session of the account except `keep` (the id hash of the one asking).
    #[tracing::instrument(name = "accounts.end_other_sessions", skip_all, fields(account = %id))]
    pub async fn end_other_sessions(
        &self,
        id: &AccountId,
        keep: &str,
    ) -> Result<u64, AccountsError> {
        let account = super::Account::try_from(&self.row(id).await?)?;
        let mut tx = self.store.begin().await?;
        let ended = tx.end_account_sessions(id.as_str(), Some(keep)).await?;
        self.audit(
            tx.as_mut(),
            actor_of(account.role),
            "sessions.ended_others",
            Some(id),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(ended, "other sessions ended");
        Ok(ended)
    }
}
