//! Changing the account's address: asked for after re-authentication, done only once the new
//! address is confirmed through a mailed link. The old address hears of both steps.

use super::{Accounts, AccountsError, CONFIRM_LINK_VALID, actor_of, links, notices::Notice};
use domain::{AccountId, EmailAddress};
use store::{
    StoreError,
    token::{NewEmailToken, TokenPurpose},
};

impl Accounts {
    #[tracing::instrument(name = "accounts.request_email_change", skip_all, fields(account = %id))]
    pub async fn request_email_change(
        &self,
        id: &AccountId,
        new_email: &EmailAddress,
    ) -> Result<(), AccountsError> {
        let account = super::Account::try_from(&self.row(id).await?)?;
        if new_email.key() == account.email.key() {
            return Err(AccountsError::SameAddress);
        }
        let now = self.clock.now();
        let taken = self
            .store
            .account_by_email_key(&new_email.key())
            .await?
            .is_some();
        let mut tx = self.store.begin().await?;
        if taken {
            // The same answer as for a free address; the new address's owner is told.
            self.queue(
                tx.as_mut(),
                new_email,
                account.language,
                Notice::AddressInUse,
            )
            .await?;
        } else {
            let (token, token_hash) = links::new_token();
            tx.revoke_email_tokens(id.as_str(), TokenPurpose::EmailChange, now)
                .await?;
            tx.insert_email_token(&NewEmailToken {
                token_hash,
                account_id: id.as_str().to_owned(),
                purpose: TokenPurpose::EmailChange,
                new_email: Some(new_email.as_str().to_owned()),
                created_at: now,
                expires_at: now + CONFIRM_LINK_VALID,
            })
            .await?;
            self.queue(
                tx.as_mut(),
                new_email,
                account.language,
                Notice::ConfirmNewAddress { token },
            )
            .await?;
        }
        self.queue(
            tx.as_mut(),
            &account.email,
            account.language,
            Notice::AddressChangeRequested,
        )
        .await?;
        self.audit(
            tx.as_mut(),
            actor_of(account.role),
            "email.change_requested",
            Some(id),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(new_email = %new_email.redacted(), "address change asked");
        Ok(())
    }

    /// Uses the link mailed to the new address.
    #[tracing::instrument(name = "accounts.confirm_email_change", skip_all)]
    pub async fn confirm_email_change(&self, token: &str) -> Result<AccountId, AccountsError> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let valid = tx
            .use_email_token(&links::hash_token(token), TokenPurpose::EmailChange, now)
            .await?
            .ok_or(AccountsError::InvalidLink)?;
        let id = AccountId::from_stored(valid.account_id);
        let new_email = valid
            .new_email
            .as_deref()
            .and_then(|e| EmailAddress::parse(e).ok())
            .ok_or(AccountsError::InvalidLink)?;
        let account = super::Account::try_from(&self.row(&id).await?)?;
        match tx
            .change_email(id.as_str(), new_email.as_str(), &new_email.key(), now)
            .await
        {
            Err(StoreError::Duplicate { .. }) => return Err(AccountsError::AddressTaken),
            other => other?,
        }
        self.queue(
            tx.as_mut(),
            &account.email,
            account.language,
            Notice::AddressChanged,
        )
        .await?;
        self.audit(
            tx.as_mut(),
            actor_of(account.role),
            "email.changed",
            Some(&id),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(account = %id, "address changed");
        Ok(id)
    }
}
