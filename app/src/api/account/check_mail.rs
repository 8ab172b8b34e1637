//! "Kijk in je e-mail": which address the confirmation went to, and sending it again.
//!
//! The address a browser registered with (or confirmed) is kept in its session, never in an
//! address or a log line: the check-mail page repeats it and the sign-in form starts with it.

use crate::api::AppError;
use leptos::prelude::*;

/// Where the session keeps the address this browser registered with or confirmed.
#[cfg(feature = "ssr")]
pub const ADDRESS_KEY: &str = "known_address";
/// When this session had the confirmation sent again (UTC), oldest first.
#[cfg(feature = "ssr")]
const RESENT_KEY: &str = "confirmation_resent_at";

/// At most this many resends per session; registering again is the way after that.
#[cfg(feature = "ssr")]
const MAX_RESENDS: usize = 3;

/// The address this browser registered with or confirmed, if any.
#[server(endpoint = "account/known_address", input = server_fn::codec::GetUrl)]
pub async fn known_address() -> Result<Option<String>, AppError> {
    let session = crate::auth::session().await?;
    crate::auth::get::<String>(&session, ADDRESS_KEY).await
}

/// Sends the confirmation link again to the address this browser registered with: at most
/// once a minute and three times per session. The answer is the same whether or not the
/// address has an unconfirmed account.
#[server(endpoint = "account/resend_confirmation")]
pub async fn resend_confirmation(lang: String) -> Result<(), AppError> {
    use chrono::{DateTime, Duration, Utc};
    let lang = super::parse::lang(&lang);
    let session = crate::auth::session().await?;
    let Some(address) = crate::auth::get::<String>(&session, ADDRESS_KEY).await? else {
        leptos_axum::redirect(&format!("/{}/register", lang.code()));
        return Ok(());
    };
    let ctx = crate::context::ctx()?;
    let now = ctx.accounts.now();
    let mut sent: Vec<DateTime<Utc>> = crate::auth::get(&session, RESENT_KEY)
        .await?
        .unwrap_or_default();
    let next = match (sent.last(), sent.len()) {
        (_, n) if n >= MAX_RESENDS => sent.first().map(|first| *first + Duration::hours(1)),
        (Some(last), _) => Some(*last + Duration::minutes(1)),
        (None, _) => None,
    };
    if let Some(next) = next.filter(|next| *next > now) {
        return Err(crate::auth::fail(AppError::TooSoon {
            clock: ctx.facts.local_time().clock(next),
        }));
    }
    // An hour after the first, the count starts again.
    sent.retain(|at| *at + Duration::hours(1) > now);
    sent.push(now);
    crate::auth::put(&session, RESENT_KEY, &sent).await?;
    if let Ok(email) = domain::EmailAddress::parse(&address) {
        ctx.accounts.resend_confirmation(&email).await?;
    }
    leptos_axum::redirect(&format!("/{}/check-mail?notice=mail-resent", lang.code()));
    Ok(())
}
