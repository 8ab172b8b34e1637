use crate::api::AppError;
use leptos::prelude::*;

/// Mails a reset link if the address has an account; the same answer either way.
#[server(endpoint = "account/forgot_password")]
pub async fn forgot_password(lang: String, email: String) -> Result<(), AppError> {
    use super::parse;
    let lang = parse::lang(&lang);
    let email = parse::email(&email).map_err(parse::invalid)?;
    crate::context::ctx()?
        .accounts
        .request_password_reset(&email)
        .await?;
    leptos_axum::redirect(&format!("/{}/check-mail?sent=reset", lang.code()));
    Ok(())
}
