//! Where the links in e-mails land. Each uses or checks its token at once and redirects to a
//! page without it, so the token never stays in the address bar, the history or a Referer.

use crate::AppState;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use domain::Lang;
use serde::Deserialize;
use tower_sessions::Session;
use workflows::accounts::{AccountsError, ResetLink};

use app::{api::account::ADDRESS_KEY, auth::RESET_LINK_KEY};

#[derive(Deserialize)]
pub struct Token {
    #[serde(default)]
    token: String,
}

fn to(lang: Lang, page: &str) -> Response {
    Redirect::to(&format!("/{}/{page}", lang.code())).into_response()
}

fn internal(error: &AccountsError) -> Response {
    tracing::error!(%error, "a mailed link could not be handled");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

pub async fn confirm_address(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(Token { token }): Query<Token>,
    session: Session,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state.accounts.confirm_address(&token).await {
        Ok(id) => {
            // The sign-in form starts with the address just confirmed (kept in the session,
            // not in the address bar). Not knowing it only leaves the field empty.
            if let Ok(Some(account)) = state.accounts.account(&id).await
                && let Err(error) = session.insert(ADDRESS_KEY, account.email.as_str()).await
            {
                tracing::warn!(%error, "the confirmed address could not be kept for sign-in");
            }
            to(lang, "sign-in?notice=confirmed")
        }
        Err(AccountsError::InvalidLink) => to(lang, "sign-in?notice=link-invalid"),
        Err(error) => internal(&error),
    }
}

pub async fn reset_password(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(Token { token }): Query<Token>,
    session: Session,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let link = ResetLink::from_token(&token);
    match state.accounts.reset_link_valid(&link).await {
        Ok(true) => match session.insert(RESET_LINK_KEY, link.hash()).await {
            Ok(()) => to(lang, "reset-password"),
            Err(error) => {
                tracing::error!(%error, "the session could not be written");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
        Ok(false) => to(lang, "forgot-password?notice=link-invalid"),
        Err(error) => internal(&error),
    }
}

pub async fn confirm_email_change(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(Token { token }): Query<Token>,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state.accounts.confirm_email_change(&token).await {
        Ok(_) => to(lang, "account?notice=email-changed"),
        Err(AccountsError::InvalidLink) => to(lang, "account?notice=link-invalid"),
        Err(AccountsError::AddressTaken) => to(lang, "account?notice=address-taken"),
        Err(error) => internal(&error),
    }
}
