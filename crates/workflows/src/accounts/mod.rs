//! Accounts: registration and address confirmation, sign-in with throttling and two-step
//! verification, password reset and change, address change, re-authentication for sensitive
//! actions, and staff accounts.
//!
//! [`Accounts`] holds what every action needs; each action lives in a module of its own. Every
//! write of one cause (an account, its link, its mail, its audit row) is one transaction.

mod change_email;
mod change_password;
mod confirm;
pub mod demo;
pub(crate) mod links;
pub(crate) mod notices;
pub mod password;
mod reauth;
pub use reauth::REAUTH_VALID;
mod register;
mod reset;
mod sessions;
mod sign_in;
pub mod staff;
pub mod throttle;
pub mod totp;
mod two_step;

pub use password::{PasswordError, PasswordHash, PasswordHasher, check_strength};
pub use register::Registration;
pub use reset::ResetLink;
pub use sign_in::SignIn;
pub use staff::{CreateStaffError, NewStaff, create_staff};
pub use throttle::{SignInThrottle, Throttled};

use chrono::{DateTime, Duration, Utc};
use domain::{AccountId, Clock, EmailAddress, Lang, PasswordProblem, Role};
use notices::Notice;
use std::sync::Arc;
use store::{Actor, NewAuditEvent, Store, StoreError, Transaction, account::AccountRow};
use url::Url;

/// How long a link confirming an address (new or changed) stays valid.
pub const CONFIRM_LINK_VALID: Duration = Duration::hours(24);
/// How long a password-reset link stays valid.
pub const RESET_LINK_VALID: Duration = Duration::minutes(30);

/// An account as the rest of the portal sees it: no password hash, no TOTP secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub email: EmailAddress,
    pub role: Role,
    pub language: Lang,
    pub email_confirmed: bool,
    pub totp_enabled: bool,
    /// The holder asked for the account's deletion: it cannot be used until they sign in
    /// again during the cool-off (which calls the deletion off).
    pub deactivated: bool,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<&AccountRow> for Account {
    type Error = StoreError;
    fn try_from(row: &AccountRow) -> Result<Self, Self::Error> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("account {}: {what}", row.id));
        Ok(Account {
            id: AccountId::from_stored(row.id.clone()),
            email: EmailAddress::parse(&row.email).map_err(|_| corrupt("address"))?,
            role: row.role.parse().map_err(|_| corrupt("role"))?,
            language: Lang::from_code(&row.language).ok_or_else(|| corrupt("language"))?,
            email_confirmed: row.email_confirmed_at.is_some(),
            totp_enabled: row.totp_secret.is_some(),
            deactivated: row.deactivated_at.is_some(),
            created_at: row.created_at,
        })
    }
}

/// Why an account action did not happen. The first variants are the person's to fix and are
/// shown to them; the last are ours and are only logged.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    #[error("the e-mail address or the password is not right")]
    InvalidCredentials,
    #[error("too many failed attempts; retry at {}", .0.retry_at)]
    Throttled(Throttled),
    #[error("the address has not been confirmed yet")]
    Unconfirmed,
    #[error("the password is {0}")]
    Password(PasswordProblem),
    #[error("the current password is not right")]
    WrongPassword,
    #[error("the code is not right")]
    InvalidCode,
    #[error("the link is unknown, used or expired")]
    InvalidLink,
    #[error("that is the account's address already")]
    SameAddress,
    #[error("an account with this address exists already")]
    AddressTaken,
    #[error("this is not allowed for this account")]
    NotAllowed,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hashing(#[from] PasswordError),
    #[error(transparent)]
    Totp(#[from] totp::TotpError),
}

/// Where the portal is reached and whose it is: for links and the words in e-mails.
#[derive(Debug, Clone)]
pub struct Site {
    pub public_url: Url,
    pub organisation: String,
}

impl Site {
    /// An absolute link into the portal, e.g. `link("nl", "link/confirm", token)`.
    pub(crate) fn link(&self, lang: Lang, path: &str, token: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}/{}/{path}?token={token}", lang.code())
    }

    pub(crate) fn page(&self, lang: Lang, path: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}/{}/{path}", lang.code())
    }
}

/// The account workflows. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn Store>,
    hasher: PasswordHasher,
    clock: Arc<dyn Clock>,
    throttle: SignInThrottle,
    site: Arc<Site>,
    reauth_valid: chrono::Duration,
}

impl Accounts {
    pub fn new(
        store: Arc<dyn Store>,
        hasher: PasswordHasher,
        clock: Arc<dyn Clock>,
        site: Site,
    ) -> Self {
        let throttle = SignInThrottle::new(Arc::clone(&store), Arc::clone(&clock));
        Self {
            store,
            hasher,
            clock,
            throttle,
            site: Arc::new(site),
            reauth_valid: REAUTH_VALID,
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn hasher(&self) -> &PasswordHasher {
        &self.hasher
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The organisation's name (the issuer in authenticator apps).
    pub fn site_name(&self) -> String {
        self.site.organisation.clone()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The account with this id, if it still exists.
    pub async fn account(&self, id: &AccountId) -> Result<Option<Account>, AccountsError> {
        let row = self.store.account_by_id(id.as_str()).await?;
        Ok(row.as_ref().map(Account::try_from).transpose()?)
    }

    async fn row(&self, id: &AccountId) -> Result<AccountRow, AccountsError> {
        self.store
            .account_by_id(id.as_str())
            .await?
            .ok_or(AccountsError::NotAllowed)
    }

    /// Queues a notice in `tx`, so it is sent if and only if its cause commits.
    async fn queue(
        &self,
        tx: &mut dyn Transaction,
        to: &EmailAddress,
        lang: Lang,
        notice: Notice,
    ) -> Result<(), StoreError> {
        notice
            .queue(tx, to.as_str(), lang, &self.site, self.clock.now())
            .await?;
        Ok(())
    }

    async fn audit(
        &self,
        tx: &mut dyn Transaction,
        actor: Actor,
        action: &str,
        subject: Option<&AccountId>,
    ) -> Result<(), StoreError> {
        tx.record_audit(&NewAuditEvent {
            occurred_at: self.clock.now(),
            actor,
            action: action.to_owned(),
            subject: subject.map(|id| id.as_str().to_owned()),
        })
        .await
    }
}

/// Words from the address a password must not lean on.
fn personal(email: &EmailAddress) -> Vec<String> {
    let mut words = vec![email.as_str().to_owned()];
    if let Some((local, domain)) = email.as_str().split_once('@') {
        words.push(local.to_owned());
        words.extend(domain.split('.').map(str::to_owned));
    }
    words
}

fn actor_of(role: Role) -> Actor {
    if role.is_staff() {
        Actor::Staff
    } else {
        Actor::Customer
    }
}

fn new_account_id() -> AccountId {
    AccountId::from_stored(format!("acc_{}", uuid::Uuid::new_v4().simple()))
}
