//! Changing the password: needs the current one; ends every other session of the account.

use super::{Accounts, AccountsError, PasswordHash, actor_of, notices::Notice, personal};
use domain::{AccountId, Password};

impl Accounts {
    /// `keep` is the id hash of the session asking, which stays (the caller gives it a new id).
    #[tracing::instrument(name = "accounts.change_password", skip_all, fields(account = %id))]
    pub async fn change_password(
        &self,
        id: &AccountId,
        current: &str,
        new: &Password,
        keep: Option<&str>,
    ) -> Result<(), AccountsError> {
        let row = self.row(id).await?;
        let account = super::Account::try_from(&row)?;
        let stored = PasswordHash::from_stored(row.password_hash.clone());
        let right = match Password::parse(current) {
            Ok(current) => self.hasher.verify(&current, Some(&stored)).await?,
            Err(_) => false,
        };
        if !right {
            return Err(AccountsError::WrongPassword);
        }
        let words = personal(&account.email);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        super::check_strength(new, &words).map_err(AccountsError::Password)?;
        let password_hash = self.hasher.hash(new).await?;

        let mut tx = self.store.begin().await?;
        tx.set_password_hash(id.as_str(), password_hash.as_str())
            .await?;
        let ended = tx.end_account_sessions(id.as_str(), keep).await?;
        self.queue(
            tx.as_mut(),
            &account.email,
            account.language,
            Notice::PasswordChanged,
        )
        .await?;
        self.audit(
            tx.as_mut(),
            actor_of(account.role),
            "password.changed",
            Some(id),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(sessions_ended = ended, "password changed");
        Ok(())
    }
}
