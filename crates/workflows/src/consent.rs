//! Cookie consent: recording each choice as proof (Art. 7(1) GDPR), letting a signed-in choice
//! follow the account to other devices, and the aggregate page-view counter that needs no consent
//! (no address, no identifier, no cookie: Telecommunicatiewet art. 11.7a).

use chrono::{Duration, NaiveDate};
use domain::{
    AccountId, Choice, Clock, Consent, ConsentCookie, CookieRegistry, Method,
    cookies::RegistryError,
};
use std::sync::Arc;
use store::{
    Store, StoreError,
    consent::{NewConsent, PageViewRow},
    records::Page,
};

#[derive(Clone)]
pub struct Consents {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    registry: Arc<CookieRegistry>,
    /// Whether the portal is reached over https (then cookies are `__Host-` and Secure).
    secure: bool,
}

/// The consent that holds for the request being answered, as the server's middleware read
/// (or just recorded) it; pages and server functions find it among the request's extensions.
#[derive(Debug, Clone, Default)]
pub struct RequestConsent {
    pub consent: Consent,
    /// The browser's GPC signal was recorded as this visitor's choice on this very request, so
    /// the page says it was honoured.
    pub gpc_recorded: bool,
}

/// A choice to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewChoice<'a> {
    /// The device's anonymous consent id, if it made a choice before.
    pub device: Option<&'a str>,
    /// The signed-in account, so the choice follows it.
    pub account: Option<&'a AccountId>,
    pub choice: Choice,
    pub method: Method,
    /// Whether the browser sent Global Privacy Control with the choice.
    pub gpc: bool,
}

impl Consents {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        registry: Arc<CookieRegistry>,
        secure: bool,
    ) -> Self {
        Self {
            store,
            clock,
            registry,
            secure,
        }
    }

    pub fn registry(&self) -> &CookieRegistry {
        &self.registry
    }

    /// Reads a request's consent: its consent cookie's value (if any) and whether it sent GPC.
    pub fn read(&self, cookie: Option<&str>, gpc: bool) -> Consent {
        Consent::new(cookie, gpc, &self.registry.version)
    }

    /// The `Set-Cookie` value for one of the registered cookies.
    pub fn set_cookie(&self, name: &str, value: &str) -> Result<String, RegistryError> {
        self.registry.set_cookie(name, value, self.secure)
    }

    /// The `Set-Cookie` value for the technical cookie that remembers a choice.
    pub fn consent_cookie(&self, cookie: &ConsentCookie) -> Result<String, RegistryError> {
        self.set_cookie(ConsentCookie::NAME, &cookie.to_string())
    }

    /// The `Set-Cookie` value that removes a registered cookie from the browser.
    pub fn expire_cookie(&self, name: &str) -> String {
        self.registry.expire_cookie(name, self.secure)
    }

    /// Stores the choice with the statement version shown, and returns what the technical
    /// consent cookie must now carry.
    pub async fn record(&self, new: NewChoice<'_>) -> Result<ConsentCookie, StoreError> {
        let consent_id = new
            .device
            .filter(|id| ConsentCookie::is_valid_id(id))
            .map_or_else(|| uuid::Uuid::new_v4().simple().to_string(), str::to_owned);
        // Under GPC nothing but an explicit choice turns analytical or commercial on.
        let choice = match new.method {
            Method::Gpc => new.choice.under_gpc(),
            _ => new.choice,
        };
        self.store
            .record_consent(&NewConsent {
                consent_id: consent_id.clone(),
                account_id: new.account.map(|a| a.as_str().to_owned()),
                functional: choice.functional,
                analytical: choice.analytical,
                commercial: choice.commercial,
                statement_version: self.registry.version.clone(),
                method: new.method.as_str().to_owned(),
                gpc: new.gpc,
                recorded_at: self.clock.now(),
            })
            .await?;
        Ok(ConsentCookie {
            id: consent_id,
            choice,
            under_gpc: new.gpc,
            version: self.registry.version.clone(),
        })
    }

    /// The account's newest choice on the current statement version, as its consent cookie.
    pub async fn of_account(
        &self,
        account: &AccountId,
    ) -> Result<Option<ConsentCookie>, StoreError> {
        let newest = self
            .store
            .consent_records(account.as_str(), Page::first(1))
            .await?
            .into_iter()
            .next();
        Ok(newest
            .filter(|r| r.statement_version == self.registry.version)
            .map(|r| ConsentCookie {
                id: r.consent_id,
                choice: Choice {
                    functional: r.functional,
                    analytical: r.analytical,
                    commercial: r.commercial,
                },
                under_gpc: r.gpc,
                version: r.statement_version,
            }))
    }

    /// Counts a view of a page (its route, never its address's tokens) today.
    pub async fn count_view(&self, path: &str, visitor: bool) -> Result<(), StoreError> {
        self.store
            .count_page_view(self.today(), path, visitor)
            .await
    }

    /// The counts of the last `days` days, newest first.
    pub async fn page_views(&self, days: i64) -> Result<Vec<PageViewRow>, StoreError> {
        let since = self.today() - Duration::days(days.max(1) - 1);
        self.store.page_views(since).await
    }

    /// Today in the portal's zone (UTC; the count is per calendar day).
    pub fn today(&self) -> NaiveDate {
        self.clock.now().date_naive()
    }
}
