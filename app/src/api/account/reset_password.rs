use crate::api::AppError;
use leptos::prelude::*;

/// Sets a new password with the reset link opened in this session.
#[server(endpoint = "account/reset_password")]
pub async fn reset_password(lang: String, password: String) -> Result<(), AppError> {
    use super::parse;
    use crate::auth;
    use workflows::accounts::ResetLink;
    let lang = parse::lang(&lang);
    let password = parse::new_password(password).map_err(parse::invalid)?;
    let session = auth::session().await?;
    let Some(link) = auth::take::<String>(&session, auth::RESET_LINK_KEY).await? else {
        return Err(auth::fail(AppError::InvalidLink));
    };
    crate::context::ctx()?
        .accounts
        .reset_password(&ResetLink::from_hash(link), &password)
        .await?;
    // Every session of the account ended; this one starts afresh, signed out.
    session.flush().await.map_err(|error| {
        tracing::error!(%error, "the session could not be ended");
        AppError::Internal
    })?;
    leptos_axum::redirect(&format!("/{}/sign-in?notice=password-reset", lang.code()));
    Ok(())
}
