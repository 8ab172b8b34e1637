//! "Verwijder mijn account" (Art. 17 GDPR): the account is deactivated at once and erased after
//! a cool-off, unless the holder signs in before then ([`Erasures::cancel_on_sign_in`]) or asked
//! for at once.
//!
//! The erasure is one durable job that works through the systems in order, each step recorded
//! as it ends, so a crash or an outage delays it and never repeats anything: the portal's own
//! data (deleted for real in one transaction, what the law keeps detached or pseudonymised, the
//! suppliers that received data told by mail, Art. 19), the directory listing at the provider
//! (Art. 17(2)), the provider's data, and last a confirmation to the address kept for it, which
//! is then forgotten. Each provider call carries a key derived from the erasure, so a rerun is
//! applied once. The status page (a link with an unguessable token, as the account is gone)
//! shows each system's state until every one is done; what stays afterwards is a tombstone
//! without personal data.

mod cancel;
mod plan;
mod request;
mod run;
mod status;

pub use plan::{KeptCategory, Plan, PlannedCategory};
pub use request::{Requested, When};
pub use status::{ErasureStatus, Phase, RecipientState, StepState, StepStatus};

use crate::{accounts::Site, export::Exports, my_data::MyData};
use domain::{ClientFacts, Clock};
use provider::Provider;
use serde::Deserialize;
use std::{sync::Arc, time::Duration};
use store::{Store, StoreError};

/// How erasures go (configuration: `erasure`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErasureSettings {
    /// How long a deactivated account waits before it is erased; signing in during it cancels.
    #[serde(with = "humantime_serde")]
    pub cool_off: Duration,
}

impl Default for ErasureSettings {
    fn default() -> Self {
        Self {
            cool_off: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ErasureError {
    /// A deletion of this account is scheduled or under way already.
    #[error("a deletion is pending already")]
    AlreadyPending,
    /// Staff accounts are the company's: an admin ends them, not the self-service deletion
    /// (which could remove the last admin, and the staff-access record with it).
    #[error("only a customer account is deleted this way")]
    NotACustomer,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The systems an erasure works through, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    /// The portal's own store.
    Portal,
    /// The telephone directory, through the provider (Art. 17(2) GDPR).
    Directory,
    /// The provider's back office, Operator Online.
    Provider,
    /// Everyone who received data from us (Art. 19 GDPR).
    Recipients,
    /// The holder's final confirmation.
    Confirmation,
}

impl System {
    pub const ALL: [System; 5] = [
        System::Portal,
        System::Directory,
        System::Provider,
        System::Recipients,
        System::Confirmation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            System::Portal => "portal",
            System::Directory => "directory",
            System::Provider => "provider",
            System::Recipients => "recipients",
            System::Confirmation => "confirmation",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == stored)
    }
}

#[derive(Clone)]
pub struct Erasures {
    store: Arc<dyn Store>,
    provider: Arc<dyn Provider>,
    clock: Arc<dyn Clock>,
    facts: Arc<ClientFacts>,
    my_data: MyData,
    exports: Exports,
    settings: Arc<ErasureSettings>,
    site: Arc<Site>,
}

impl Erasures {
    pub fn new(
        my_data: MyData,
        provider: Arc<dyn Provider>,
        exports: Exports,
        settings: ErasureSettings,
        site: Site,
    ) -> Self {
        Self {
            store: Arc::clone(my_data.store()),
            provider,
            clock: Arc::clone(my_data.clock()),
            facts: Arc::clone(my_data.facts()),
            my_data,
            exports,
            settings: Arc::new(settings),
            site: Arc::new(site),
        }
    }

    /// Queues a notice to `to` in `tx`, so it goes if and only if its cause commits; its
    /// outbox id.
    async fn queue(
        &self,
        tx: &mut dyn store::Transaction,
        to: &str,
        lang: domain::Lang,
        notice: crate::accounts::notices::Notice,
    ) -> Result<i64, StoreError> {
        notice
            .queue(tx, to, lang, &self.site, self.clock.now())
            .await
    }

    /// The status page's address for a token.
    fn status_link(&self, lang: domain::Lang, token: &str) -> String {
        self.site.page(lang, &format!("account-deletion/{token}"))
    }
}
