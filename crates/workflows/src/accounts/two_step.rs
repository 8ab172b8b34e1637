//! Two-step sign-in (TOTP): the second step of a sign-in, setting it up, turning it off.
//! Wrong codes count as failed sign-ins, so six digits cannot be guessed one by one.

use super::{
    Account, Accounts, AccountsError, actor_of,
    notices::Notice,
    totp::{self, Enrolment, TotpSecret},
};
use domain::AccountId;
use std::net::IpAddr;

impl Accounts {
    /// The second step of a sign-in: a code from the account's authenticator app. Each code
    /// works once, on every instance (the step is recorded in the database).
    #[tracing::instrument(name = "accounts.verify_code", skip_all, fields(account = %id))]
    pub async fn verify_code(
        &self,
        id: &AccountId,
        code: &str,
        client: IpAddr,
    ) -> Result<Account, AccountsError> {
        let row = self.row(id).await?;
        let account = Account::try_from(&row)?;
        if let Err(throttled) = self.throttle.check(&account.email, &client).await? {
            return Err(AccountsError::Throttled(throttled));
        }
        let secret = row
            .totp_secret
            .as_deref()
            .map(TotpSecret::from_base32)
            .ok_or(AccountsError::NotAllowed)?;
        let last = row.totp_last_step.and_then(|s| u64::try_from(s).ok());
        let accepted = match totp::verify(&secret, code, self.clock.now(), last) {
            Some(step) => {
                let step = i64::try_from(step).map_err(|_| AccountsError::InvalidCode)?;
                self.store.record_totp_step(id.as_str(), step).await?
            }
            None => false,
        };
        if !accepted {
            self.throttle.failed(&account.email, &client).await?;
            tracing::info!(outcome = "wrong code", "two-step sign-in");
            return Err(AccountsError::InvalidCode);
        }
        self.throttle.succeeded(&account.email).await?;
        tracing::info!(outcome = "ok", "two-step sign-in");
        Ok(account)
    }

    /// A new secret to show as a QR code; nothing is stored until [`Accounts::enable_totp`].
    pub fn start_totp(&self, account: &Account) -> Result<Enrolment, AccountsError> {
        Ok(totp::enrol(
            &self.site.organisation,
            account.email.as_str(),
        )?)
    }

    /// Stores the secret once a code from the app proves it was set up right.
    #[tracing::instrument(name = "accounts.enable_totp", skip_all, fields(account = %id))]
    pub async fn enable_totp(
        &self,
        id: &AccountId,
        secret: &TotpSecret,
        code: &str,
    ) -> Result<Account, AccountsError> {
        let row = self.row(id).await?;
        let account = Account::try_from(&row)?;
        let step = totp::verify(secret, code, self.clock.now(), None)
            .and_then(|step| i64::try_from(step).ok())
            .ok_or(AccountsError::InvalidCode)?;
        let mut tx = self.store.begin().await?;
        tx.set_totp(id.as_str(), Some(secret.expose_base32()), Some(step))
            .await?;
        self.queue(
            tx.as_mut(),
            &account.email,
            account.language,
            Notice::TotpEnabled,
        )
        .await?;
        self.audit(
            tx.as_mut(),
            actor_of(account.role),
            "totp.enabled",
            Some(id),
        )
        .await?;
        tx.commit().await?;
        tracing::info!("two-step sign-in set up");
        Ok(Account {
            totp_enabled: true,
            ..account
        })
    }

    /// Customers may turn two-step sign-in off again; staff may not.
    #[tracing::instrument(name = "accounts.disable_totp", skip_all, fields(account = %id))]
    pub async fn disable_totp(&self, id: &AccountId) -> Result<(), AccountsError> {
        let account = Account::try_from(&self.row(id).await?)?;
        if account.role.is_staff() {
            return Err(AccountsError::NotAllowed);
        }
        let mut tx = self.store.begin().await?;
        tx.set_totp(id.as_str(), None, None).await?;
        self.queue(
            tx.as_mut(),
            &account.email,
            account.language,
            Notice::TotpDisabled,
        )
        .await?;
        self.audit(
            tx.as_mut(),
            actor_of(account.role),
            "totp.disabled",
            Some(id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
