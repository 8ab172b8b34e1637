//! Password reset by e-mail: a single-use link valid for 30 minutes. Asking answers the same
//! whether or not the address has an account.

use super::{
    Accounts, AccountsError, RESET_LINK_VALID, actor_of, links, notices::Notice, personal,
};
use domain::{AccountId, EmailAddress, Lang, Password};
use store::token::{NewEmailToken, TokenPurpose};

/// A reset link, known by its token's hash: the page between opening the link and choosing the
/// password keeps only this (in the session), never the token.
#[derive(Clone, PartialEq, Eq)]
pub struct ResetLink(String);

impl ResetLink {
    pub fn from_token(token: &str) -> Self {
        Self(links::hash_token(token))
    }

    pub fn from_hash(hash: String) -> Self {
        Self(hash)
    }

    pub fn hash(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ResetLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResetLink(***)")
    }
}

impl Accounts {
    /// Mails a reset link if the address has an account; otherwise does nothing. Earlier reset
    /// links of the account stop working.
    #[tracing::instrument(name = "accounts.request_reset", skip_all)]
    pub async fn request_password_reset(&self, email: &EmailAddress) -> Result<(), AccountsError> {
        let Some(row) = self.store.account_by_email_key(&email.key()).await? else {
            tracing::info!(email = %email.redacted(), outcome = "no account", "password reset asked");
            return Ok(());
        };
        let id = AccountId::from_stored(row.id.clone());
        let lang = Lang::from_code(&row.language).unwrap_or_default();
        let role = row.role.parse().unwrap_or(domain::Role::Customer);
        let now = self.clock.now();
        let (token, token_hash) = links::new_token();
        let mut tx = self.store.begin().await?;
        tx.revoke_email_tokens(id.as_str(), TokenPurpose::Reset, now)
            .await?;
        tx.insert_email_token(&NewEmailToken {
            token_hash,
            account_id: id.as_str().to_owned(),
            purpose: TokenPurpose::Reset,
            new_email: None,
            created_at: now,
            expires_at: now + RESET_LINK_VALID,
        })
        .await?;
        self.queue(tx.as_mut(), email, lang, Notice::ResetPassword { token })
            .await?;
        self.audit(
            tx.as_mut(),
            actor_of(role),
            "password.reset_requested",
            Some(&id),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(account = %id, outcome = "link sent", "password reset asked");
        Ok(())
    }

    /// Whether a reset link can still be used (to show its form, or say it expired).
    pub async fn reset_link_valid(&self, link: &ResetLink) -> Result<bool, AccountsError> {
        Ok(self
            .store
            .valid_email_token(&link.0, TokenPurpose::Reset, self.clock.now())
            .await?
            .is_some())
    }

    /// Sets a new password with a reset link: ends every session of the account, confirms its
    /// address (the link proved the mailbox), and tells the owner.
    #[tracing::instrument(name = "accounts.reset_password", skip_all)]
    pub async fn reset_password(
        &self,
        link: &ResetLink,
        password: &Password,
    ) -> Result<AccountId, AccountsError> {
        let token_hash = &link.0;
        let valid = self
            .store
            .valid_email_token(token_hash, TokenPurpose::Reset, self.clock.now())
            .await?
            .ok_or(AccountsError::InvalidLink)?;
        let id = AccountId::from_stored(valid.account_id);
        let account = super::Account::try_from(&self.row(&id).await?)?;
        let words = personal(&account.email);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        super::check_strength(password, &words).map_err(AccountsError::Password)?;
        let password_hash = self.hasher.hash(password).await?;

        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        // Used by a parallel request while we hashed: that one won.
        tx.use_email_token(token_hash, TokenPurpose::Reset, now)
            .await?
            .ok_or(AccountsError::InvalidLink)?;
        tx.set_password_hash(id.as_str(), password_hash.as_str())
            .await?;
        tx.confirm_email(id.as_str(), now).await?;
        tx.revoke_email_tokens(id.as_str(), TokenPurpose::Reset, now)
            .await?;
        let ended = tx.end_account_sessions(id.as_str(), None).await?;
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
            "password.reset",
            Some(&id),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(account = %id, sessions_ended = ended, "password reset");
        Ok(id)
    }
}
