//! Who is asking, on the server: the session's account, the guards every protected server
//! function starts with, and the one mapping from the workflows' errors to [`AppError`].

use crate::{api::AppError, context::ctx};
use axum::extract::ConnectInfo;
use chrono::{DateTime, Utc};
use domain::{AccountId, Role};
use http::StatusCode;
use leptos::prelude::*;
use std::net::{IpAddr, SocketAddr};
use store::session::{ACCOUNT_KEY, DEVICE_KEY, hash_session_id};
use tower_sessions::Session;
use workflows::accounts::{Account, AccountsError};

/// Session keys besides [`ACCOUNT_KEY`] and [`DEVICE_KEY`].
/// The account whose password was right and whose code is still needed.
pub const PENDING_KEY: &str = "pending_account";
/// Set while a staff account that signed in with its password sets up two-step sign-in.
pub const SETUP_KEY: &str = "totp_setup_account";
/// A TOTP secret being set up (until a code proves it).
pub const TOTP_SECRET_KEY: &str = "totp_setup_secret";
/// An opened password-reset link (its hash), until the new password is chosen.
pub const RESET_LINK_KEY: &str = "reset_link";
/// When the password (and code) were last checked, for re-authentication.
pub const AUTH_AT_KEY: &str = "authenticated_at";
/// Set for the session of an account's first sign-in: "Mijn account" opens with a welcome.
pub const FIRST_SESSION_KEY: &str = "first_session";

pub(crate) fn internal(what: &str, error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "{what}");
    AppError::Internal
}

/// Sets the response status for script (fetch) requests. A plain form post is redirected back
/// to its page with the error in the address instead, and must keep its redirect status.
pub fn set_status(status: StatusCode) {
    let from_form = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false);
    if !from_form && let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// An [`AppError`] with the status that belongs to it.
pub fn fail(error: AppError) -> AppError {
    let status = match &error {
        AppError::Internal | AppError::Unreachable => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::BadRequest => StatusCode::BAD_REQUEST,
        AppError::SignInRequired => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::ReauthRequired => StatusCode::FORBIDDEN,
        AppError::Throttled { .. } | AppError::TooSoon { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::InvalidCredentials
        | AppError::Unconfirmed
        | AppError::InvalidCode
        | AppError::InvalidLink
        | AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Stale | AppError::InProgress | AppError::DeletionPending | AppError::Closed => {
            StatusCode::CONFLICT
        }
    };
    set_status(status);
    error
}

impl From<AccountsError> for AppError {
    fn from(error: AccountsError) -> Self {
        use crate::api::Problem;
        fail(match error {
            AccountsError::InvalidCredentials => AppError::InvalidCredentials,
            AccountsError::Throttled(t) => AppError::Throttled {
                clock: ctx()
                    .map(|ctx| ctx.facts.local_time())
                    .unwrap_or_default()
                    .clock(t.retry_at),
                retry_at: t
                    .retry_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            },
            AccountsError::Unconfirmed => AppError::Unconfirmed,
            AccountsError::Password(problem) => {
                AppError::field("password", Problem::Password(problem))
            }
            AccountsError::WrongPassword => AppError::field("current", Problem::WrongPassword),
            AccountsError::InvalidCode => AppError::field("code", Problem::CodeInvalid),
            AccountsError::InvalidLink => AppError::InvalidLink,
            AccountsError::SameAddress => AppError::field("email", Problem::SameAddress),
            AccountsError::AddressTaken => AppError::field("email", Problem::AddressTaken),
            AccountsError::NotAllowed => AppError::Forbidden,
            other => return fail(internal("an account action failed", other)),
        })
    }
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| internal("no session layer", e))
}

/// The client's address as the server resolved it (through trusted proxies only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// The client's address (for throttling): the resolved one, else the connection's.
pub async fn client() -> Result<IpAddr, AppError> {
    if let Ok(axum::Extension(ClientAddress(address))) =
        leptos_axum::extract::<axum::Extension<ClientAddress>>().await
    {
        return Ok(address);
    }
    let ConnectInfo(address) = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map_err(|e| internal("no client address", e))?;
    Ok(address.ip())
}

/// The SHA-256 of this session's id, as the store knows it.
pub fn session_hash(session: &Session) -> Option<String> {
    session.id().map(|id| hash_session_id(&id))
}

pub async fn get<T: serde::de::DeserializeOwned>(
    session: &Session,
    key: &str,
) -> Result<Option<T>, AppError> {
    session
        .get::<T>(key)
        .await
        .map_err(|e| internal("the session could not be read", e))
}

/// Writes a session value (a failure is logged and answered as internal, like `get` and `take`).
pub async fn put<T: serde::Serialize>(
    session: &Session,
    key: &str,
    value: T,
) -> Result<(), AppError> {
    session
        .insert(key, value)
        .await
        .map_err(|e| internal("the session could not be written", e))
}

pub async fn take<T: serde::de::DeserializeOwned>(
    session: &Session,
    key: &str,
) -> Result<Option<T>, AppError> {
    session
        .remove::<T>(key)
        .await
        .map_err(|e| internal("the session could not be written", e))
}

/// The signed-in account, if any (a removed account signs its sessions out).
pub async fn current() -> Result<Option<(Session, Account)>, AppError> {
    let session = session().await?;
    let Some(id) = get::<String>(&session, ACCOUNT_KEY).await? else {
        return Ok(None);
    };
    let account = ctx()?.accounts.account(&AccountId::from_stored(id)).await?;
    match account {
        // A deactivated account (its deletion is pending) has no sessions.
        Some(account) if !account.deactivated => Ok(Some((session, account))),
        _ => {
            session
                .flush()
                .await
                .map_err(|e| internal("the session could not be ended", e))?;
            Ok(None)
        }
    }
}

pub async fn require_user() -> Result<(Session, Account), AppError> {
    current()
        .await?
        .ok_or_else(|| fail(AppError::SignInRequired))
}

pub async fn require_role(allowed: &[Role]) -> Result<(Session, Account), AppError> {
    let (session, account) = require_user().await?;
    if allowed.contains(&account.role) {
        Ok((session, account))
    } else {
        Err(fail(AppError::Forbidden))
    }
}

/// Whether the password (and code) were checked recently enough for a sensitive action
/// (`session.reauth_valid`, ten minutes by default). Only asks: sets no status (pages call it
/// to decide what to show).
pub async fn recently_authenticated(session: &Session) -> Result<bool, AppError> {
    let at = get::<DateTime<Utc>>(session, AUTH_AT_KEY).await?;
    Ok(ctx()?.accounts.reauthenticated_recently(at))
}

/// The step-up guard for sensitive actions: the password (and code) within the last
/// configured window, or 403 `ReauthRequired`.
pub async fn require_recent_auth(session: &Session) -> Result<(), AppError> {
    if recently_authenticated(session).await? {
        Ok(())
    } else {
        Err(fail(AppError::ReauthRequired))
    }
}

/// Notes a successful re-authentication.
pub async fn authenticated_now(session: &Session) -> Result<(), AppError> {
    let now = ctx()?.accounts.now();
    put(session, AUTH_AT_KEY, now).await
}

/// Signing in to a deactivated account calls its pending deletion off (the cool-off's promise);
/// true when it did. Once the erasure has started the account cannot be used: the sign-in is
/// refused like a wrong password.
pub async fn call_off_deletion(account: &Account, lang: domain::Lang) -> Result<bool, AppError> {
    if !account.deactivated {
        return Ok(false);
    }
    let cancelled = ctx()?
        .erasures
        .cancel_on_sign_in(&account.id, &account.email, lang)
        .await
        .map_err(|e| fail(internal("a deletion could not be called off", e)))?;
    if cancelled {
        Ok(true)
    } else {
        Err(fail(AppError::InvalidCredentials))
    }
}

/// Signs the account in on this session: a new session id (the old one stops working), the
/// account and device noted, the moment of authentication recorded.
pub async fn establish(session: &Session, account: &Account) -> Result<(), AppError> {
    session
        .cycle_id()
        .await
        .map_err(|e| internal("the session id could not be renewed", e))?;
    for key in [PENDING_KEY, SETUP_KEY, TOTP_SECRET_KEY] {
        take::<serde_json::Value>(session, key).await?;
    }
    put(session, ACCOUNT_KEY, account.id.as_str()).await?;
    put(session, DEVICE_KEY, device().await).await?;
    authenticated_now(session).await
}

/// A short description of the browser and system, from the User-Agent: for "my sessions".
async fn device() -> String {
    let agent = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    describe_device(&agent)
}

/// "Firefox on Windows", "Chrome on Android", … or "Unknown browser".
pub fn describe_device(agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(token, _)| agent.contains(token))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(token, _)| agent.contains(token))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) => "?".to_owned(),
    }
}
