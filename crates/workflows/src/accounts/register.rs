//! Registration. The answer is the same whether or not the address has an account, and takes
//! as long (the password is hashed either way): the mailbox's owner hears what happened.

use super::{
    Accounts, AccountsError, CONFIRM_LINK_VALID, links, new_account_id, notices::Notice, personal,
};
use domain::{EmailAddress, Lang, Password, Role};
use store::{
    Actor, StoreError,
    account::NewAccount,
    token::{NewEmailToken, TokenPurpose},
};

pub struct Registration {
    pub email: EmailAddress,
    pub password: Password,
    pub language: Lang,
}

impl Accounts {
    /// Creates an unconfirmed customer account and mails a confirmation link. For an address
    /// that has an account, it mails its owner instead (a new confirmation link if it was never
    /// confirmed) and changes nothing.
    #[tracing::instrument(name = "accounts.register", skip_all)]
    pub async fn register(&self, new: Registration) -> Result<(), AccountsError> {
        let words = personal(&new.email);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        super::check_strength(&new.password, &words).map_err(AccountsError::Password)?;
        let password_hash = self.hasher.hash(&new.password).await?;
        let now = self.clock.now();

        let existing = self.store.account_by_email_key(&new.email.key()).await?;
        let mut tx = self.store.begin().await?;
        let (id, lang, unconfirmed) = match &existing {
            Some(row) => (
                domain::AccountId::from_stored(row.id.clone()),
                Lang::from_code(&row.language).unwrap_or(new.language),
                row.email_confirmed_at.is_none(),
            ),
            None => {
                let id = new_account_id();
                let created = tx
                    .create_account(&NewAccount {
                        id: id.as_str().to_owned(),
                        email: new.email.as_str().to_owned(),
                        email_key: new.email.key(),
                        password_hash: password_hash.as_str().to_owned(),
                        role: Role::Customer.as_str().to_owned(),
                        language: new.language.code().to_owned(),
                        email_confirmed_at: None,
                        created_at: now,
                    })
                    .await;
                match created {
                    // Registered a moment ago by a parallel request: that one mails.
                    Err(StoreError::Duplicate { .. }) => return Ok(()),
                    other => other?,
                }
                (id, new.language, true)
            }
        };

        if unconfirmed {
            self.mail_confirmation(tx.as_mut(), &id, &new.email, lang, now)
                .await?;
        } else {
            self.queue(tx.as_mut(), &new.email, lang, Notice::AlreadyRegistered)
                .await?;
        }
        let action = if existing.is_some() {
            "account.registration_repeated"
        } else {
            "account.registered"
        };
        self.audit(tx.as_mut(), Actor::Customer, action, Some(&id))
            .await?;
        tx.commit().await?;
        tracing::info!(account = %id, email = %new.email.redacted(), action, "registration");
        Ok(())
    }

    /// Mails a new confirmation link to an address that registered and is not confirmed yet.
    /// For any other address nothing happens, with the same answer: it tells nobody whether
    /// an address has an account. The caller limits how often it is asked.
    pub async fn resend_confirmation(&self, email: &EmailAddress) -> Result<(), AccountsError> {
        let Some(row) = self.store.account_by_email_key(&email.key()).await? else {
            return Ok(());
        };
        if row.email_confirmed_at.is_some() || row.deactivated_at.is_some() {
            return Ok(());
        }
        let now = self.clock.now();
        let id = domain::AccountId::from_stored(row.id.clone());
        let lang = Lang::from_code(&row.language).unwrap_or_default();
        let mut tx = self.store.begin().await?;
        self.mail_confirmation(tx.as_mut(), &id, email, lang, now)
            .await?;
        self.audit(
            tx.as_mut(),
            Actor::Customer,
            "account.confirmation_resent",
            Some(&id),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(account = %id, "confirmation link sent again");
        Ok(())
    }

    /// A new confirmation link for `id`, and the mail that carries it, in `tx`.
    async fn mail_confirmation(
        &self,
        tx: &mut dyn store::Transaction,
        id: &domain::AccountId,
        email: &EmailAddress,
        lang: Lang,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let (token, token_hash) = links::new_token();
        tx.insert_email_token(&NewEmailToken {
            token_hash,
            account_id: id.as_str().to_owned(),
            purpose: TokenPurpose::Confirm,
            new_email: None,
            created_at: now,
            expires_at: now + CONFIRM_LINK_VALID,
        })
        .await?;
        self.queue(tx, email, lang, Notice::ConfirmAddress { token })
            .await
    }
}
