//! Signing in with address and password: throttled per account and per client address, the
//! same answer in the same time for unknown addresses (a dummy hash is verified).

use super::{Account, Accounts, AccountsError, PasswordHash};
use domain::{AccountId, EmailAddress, Password};
use std::net::IpAddr;
use store::{Actor, NewAuditEvent};

/// What a right password leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in; `true` the first time this account ever signed in.
    Done(Account, bool),
    /// The account uses two-step sign-in: a code is needed next.
    TotpRequired(AccountId),
    /// A staff account without two-step sign-in: it must be set up before anything else.
    TotpSetupRequired(AccountId),
}

impl Accounts {
    #[tracing::instrument(name = "accounts.sign_in", skip_all)]
    pub async fn sign_in(
        &self,
        email: &EmailAddress,
        password: &str,
        client: IpAddr,
    ) -> Result<SignIn, AccountsError> {
        if let Err(throttled) = self.throttle.check(email, &client).await? {
            tracing::warn!(email = %email.redacted(), retry_at = %throttled.retry_at, "sign-in refused: too many failures");
            return Err(AccountsError::Throttled(throttled));
        }
        let row = self.store.account_by_email_key(&email.key()).await?;
        let stored = row
            .as_ref()
            .map(|row| PasswordHash::from_stored(row.password_hash.clone()));
        let right = match Password::parse(password) {
            Ok(password) => self.hasher.verify(&password, stored.as_ref()).await?,
            // Too short or too long to be anyone's password; spend the same time anyway.
            Err(_) => {
                let filler =
                    Password::parse("not-anyones-password").map_err(AccountsError::Password)?;
                self.hasher.verify(&filler, None).await?;
                false
            }
        };

        let Some(row) = row.filter(|_| right) else {
            self.throttle.failed(email, &client).await?;
            self.store
                .record_audit(NewAuditEvent {
                    occurred_at: self.clock.now(),
                    actor: Actor::System,
                    action: "sign_in.failed".into(),
                    subject: None,
                })
                .await?;
            tracing::info!(email = %email.redacted(), outcome = "failed", "sign-in");
            return Err(AccountsError::InvalidCredentials);
        };
        self.throttle.succeeded(email).await?;
        let account = Account::try_from(&row)?;
        if !account.email_confirmed {
            tracing::info!(account = %account.id, outcome = "unconfirmed", "sign-in");
            return Err(AccountsError::Unconfirmed);
        }
        let outcome = if account.totp_enabled {
            SignIn::TotpRequired(account.id.clone())
        } else if account.role.is_staff() {
            SignIn::TotpSetupRequired(account.id.clone())
        } else {
            let first = !self
                .store
                .has_audit(account.id.as_str(), "sign_in.succeeded")
                .await?;
            SignIn::Done(account.clone(), first)
        };
        let step = match outcome {
            SignIn::Done(..) => "sign_in.succeeded",
            SignIn::TotpRequired(_) => "sign_in.password_ok",
            SignIn::TotpSetupRequired(_) => "sign_in.totp_setup_required",
        };
        self.store
            .record_audit(NewAuditEvent {
                occurred_at: self.clock.now(),
                actor: super::actor_of(account.role),
                action: step.into(),
                subject: Some(account.id.as_str().to_owned()),
            })
            .await?;
        tracing::info!(account = %account.id, outcome = step, "sign-in");
        Ok(outcome)
    }
}
