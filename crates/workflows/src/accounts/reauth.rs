//! Re-authentication before a sensitive action (an export's download, deleting the account,
//! changing the address): the password again, and a code where two-step sign-in is on.
//! The caller records when it succeeded; [`Accounts::reauthenticated_recently`] says whether it
//! still counts ([`REAUTH_VALID`] unless configured otherwise).

use super::{Account, Accounts, AccountsError, PasswordHash};
use chrono::Duration;
use domain::{AccountId, Password};
use std::net::IpAddr;

/// How long a re-authentication allows sensitive actions, by default.
pub const REAUTH_VALID: Duration = Duration::minutes(10);

impl Accounts {
    /// Sets how long a re-authentication allows sensitive actions.
    pub fn with_reauth_valid(mut self, valid: Duration) -> Self {
        self.reauth_valid = valid;
        self
    }

    /// Whether a password check at `at` (if any) still allows a sensitive action now.
    pub fn reauthenticated_recently(&self, at: Option<chrono::DateTime<chrono::Utc>>) -> bool {
        let now = self.clock.now();
        at.is_some_and(|at| at <= now && now - at < self.reauth_valid)
    }

    #[tracing::instrument(name = "accounts.reauthenticate", skip_all, fields(account = %id))]
    pub async fn reauthenticate(
        &self,
        id: &AccountId,
        password: &str,
        code: Option<&str>,
        client: IpAddr,
    ) -> Result<Account, AccountsError> {
        let row = self.row(id).await?;
        let account = Account::try_from(&row)?;
        if let Err(throttled) = self.throttle.check(&account.email, &client).await? {
            return Err(AccountsError::Throttled(throttled));
        }
        let stored = PasswordHash::from_stored(row.password_hash.clone());
        let right = match Password::parse(password) {
            Ok(password) => self.hasher.verify(&password, Some(&stored)).await?,
            Err(_) => false,
        };
        if !right {
            self.throttle.failed(&account.email, &client).await?;
            tracing::info!(outcome = "wrong password", "re-authentication");
            return Err(AccountsError::WrongPassword);
        }
        if account.totp_enabled {
            self.verify_code(id, code.unwrap_or_default(), client)
                .await?;
        }
        tracing::info!(outcome = "ok", "re-authentication");
        Ok(account)
    }
}
