//! Cookie consent: the choice that holds for this page, making a choice, the cookie statement
//! generated from the registry, and the aggregate page views (admins).

mod choose;
mod page_views;
mod statement;

pub use choose::{ChooseCookies, choose_cookies};
pub use page_views::{PageViewView, page_views};
pub use statement::{CookieCategoryView, CookieStatementView, CookieView, cookie_statement};

use domain::Choice;
use serde::{Deserialize, Serialize};

/// What a page needs to know of the visitor's cookie choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConsentView {
    /// The choice made on the current statement version; `None`: ask (the banner).
    pub choice: Option<Choice>,
    /// What may be stored now (GPC taken into account).
    pub effective: Choice,
    /// The browser sends Global Privacy Control.
    pub gpc: bool,
    /// The GPC signal was recorded as the choice on this very page: say it was honoured.
    pub gpc_recorded: bool,
    /// An earlier opt-in meets a new GPC signal: ask which holds.
    pub conflict: bool,
}

impl ConsentView {
    /// Whether the banner asks for a choice.
    pub fn asks(&self) -> bool {
        self.choice.is_none() || self.conflict
    }

    #[cfg(feature = "ssr")]
    pub(crate) fn of(consent: &domain::Consent, gpc_recorded: bool) -> Self {
        Self {
            choice: consent.cookie.as_ref().map(|c| c.choice),
            effective: consent.effective(),
            gpc: consent.gpc,
            gpc_recorded,
            conflict: consent.conflicts_with_gpc(),
        }
    }
}

/// The consent the server's middleware read for this request (nothing chosen when there is no
/// request, e.g. in a unit test).
#[cfg(feature = "ssr")]
pub fn consent_now() -> workflows::consent::RequestConsent {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<workflows::consent::RequestConsent>()
                .cloned()
        })
        .unwrap_or_default()
}
