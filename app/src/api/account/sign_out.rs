use crate::api::AppError;
use leptos::prelude::*;

/// Ends this session, on the server and in the browser.
#[server(endpoint = "account/sign_out")]
pub async fn sign_out(lang: String) -> Result<(), AppError> {
    let lang = super::parse::lang(&lang);
    let session = crate::auth::session().await?;
    if let Some(id) = session
        .get::<String>(store::session::ACCOUNT_KEY)
        .await
        .ok()
        .flatten()
    {
        tracing::info!(account = %id, "signed out");
    }
    session.flush().await.map_err(|error| {
        tracing::error!(%error, "the session could not be ended");
        AppError::Internal
    })?;
    leptos_axum::redirect(&format!("/{}/sign-in?notice=signed-out", lang.code()));
    Ok(())
}
