//! Brute-force protection for sign-in: failures are counted in the database, per account and per
//! client address, so the limits hold however many instances serve the portal. After
//! [`SignInThrottle::LIMIT`] failures within [`SignInThrottle::WINDOW`], the next attempt is
//! refused until enough of them have aged out; the answer says when.
//!
//! Neither the e-mail address nor the client address is stored, only SHA-256 keys of them.

use chrono::{DateTime, Duration, Utc};
use domain::{Clock, EmailAddress};
use sha2::{Digest, Sha256};
use std::{net::IpAddr, sync::Arc};
use store::{FailureKey, Store, StoreError};

/// Sign-in is refused until `retry_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub retry_at: DateTime<Utc>,
}

#[derive(Clone)]
pub struct SignInThrottle {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

fn sha256_hex(input: &[u8]) -> String {
    Sha256::digest(input)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The key failures against an account are counted under: case does not make another account.
pub fn account_key(email: &EmailAddress) -> String {
    sha256_hex(email.key().as_bytes())
}

/// The key failures from a client address are counted under.
pub fn client_key(client: &IpAddr) -> String {
    sha256_hex(client.to_string().as_bytes())
}

impl SignInThrottle {
    pub const LIMIT: u32 = 10;
    pub const WINDOW: Duration = Duration::minutes(15);

    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Whether a sign-in for `email` from `client` may be tried now.
    pub async fn check(
        &self,
        email: &EmailAddress,
        client: &IpAddr,
    ) -> Result<Result<(), Throttled>, StoreError> {
        let now = self.clock.now();
        let since = now - Self::WINDOW;
        let mut retry_at: Option<DateTime<Utc>> = None;
        for key in [
            FailureKey::Account(&account_key(email)),
            FailureKey::Client(&client_key(client)),
        ] {
            let recent = self
                .store
                .recent_sign_in_failures(key, since, Self::LIMIT)
                .await?;
            // Blocked while LIMIT failures lie within the window: until the oldest of those ages out.
            if recent.len() >= Self::LIMIT as usize
                && let Some(oldest) = recent.last()
            {
                let until = *oldest + Self::WINDOW;
                retry_at = Some(retry_at.map_or(until, |r| r.max(until)));
            }
        }
        Ok(match retry_at {
            Some(retry_at) => Err(Throttled { retry_at }),
            None => Ok(()),
        })
    }

    pub async fn failed(&self, email: &EmailAddress, client: &IpAddr) -> Result<(), StoreError> {
        self.store
            .record_sign_in_failure(&account_key(email), &client_key(client), self.clock.now())
            .await
    }

    /// A successful sign-in forgets the account's failures (not the client's).
    pub async fn succeeded(&self, email: &EmailAddress) -> Result<(), StoreError> {
        self.store.clear_sign_in_failures(&account_key(email)).await
    }
}
