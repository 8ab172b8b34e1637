use crate::api::AppError;
use leptos::prelude::*;

/// Asks to change the account's address (after re-authentication); the change happens when the
/// link mailed to the new address is opened.
#[server(endpoint = "account/change_email")]
pub async fn change_email(lang: String, email: String) -> Result<(), AppError> {
    use super::parse;
    use crate::auth;
    let lang = parse::lang(&lang);
    let (session, account) = auth::require_user().await?;
    auth::require_recent_auth(&session).await?;
    let email = parse::email(&email).map_err(parse::invalid)?;
    crate::context::ctx()?
        .accounts
        .request_email_change(&account.id, &email)
        .await?;
    leptos_axum::redirect(&format!("/{}/account?notice=email-sent", lang.code()));
    Ok(())
}
