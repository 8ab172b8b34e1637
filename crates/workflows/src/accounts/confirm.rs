//! Confirming the address of a new account with the mailed link.

use super::{Accounts, AccountsError, links};
use domain::AccountId;
use store::{Actor, token::TokenPurpose};

impl Accounts {
    /// Uses a confirmation link. An unknown, used or expired link changes nothing.
    #[tracing::instrument(name = "accounts.confirm", skip_all)]
    pub async fn confirm_address(&self, token: &str) -> Result<AccountId, AccountsError> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let valid = tx
            .use_email_token(&links::hash_token(token), TokenPurpose::Confirm, now)
            .await?
            .ok_or(AccountsError::InvalidLink)?;
        let id = AccountId::from_stored(valid.account_id);
        tx.confirm_email(id.as_str(), now).await?;
        self.audit(tx.as_mut(), Actor::Customer, "account.confirmed", Some(&id))
            .await?;
        tx.commit().await?;
        tracing::info!(account = %id, "address confirmed");
        Ok(id)
    }
}
