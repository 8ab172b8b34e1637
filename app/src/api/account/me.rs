use crate::api::AppError;
use domain::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the pages show of the signed-in account (its own address; never a hash or secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub email: String,
    /// The name in the profile, if the holder gave one.
    pub name: Option<String>,
    /// This is the session of the account's first sign-in.
    pub first_session: bool,
    pub role: Role,
    pub two_step: bool,
    /// Whether sensitive actions are allowed without confirming the password again.
    pub recently_authenticated: bool,
}

#[server(endpoint = "account/me", input = server_fn::codec::GetUrl)]
pub async fn me() -> Result<Option<AccountView>, AppError> {
    let Some((session, account)) = crate::auth::current().await? else {
        return Ok(None);
    };
    let name = crate::context::ctx()?
        .my_data
        .profile(&account.id)
        .await
        .map_err(|e| crate::auth::internal("the profile could not be read", e))?
        .0
        .name;
    let first_session = crate::auth::get::<bool>(&session, crate::auth::FIRST_SESSION_KEY)
        .await?
        .unwrap_or(false);
    Ok(Some(AccountView {
        email: account.email.as_str().to_owned(),
        name,
        first_session,
        role: account.role,
        two_step: account.totp_enabled,
        recently_authenticated: crate::auth::recently_authenticated(&session).await?,
    }))
}
