use crate::api::AppError;
use leptos::prelude::*;

/// Registers a customer account and mails the confirmation link; then the "check your mail"
/// page. The answer is the same for an address that has an account.
#[server(endpoint = "account/register")]
pub async fn register(lang: String, email: String, password: String) -> Result<(), AppError> {
    use super::parse;
    let lang = parse::lang(&lang);
    let (email, password) = parse::both(parse::email(&email), parse::new_password(password))?;
    let address = email.as_str().to_owned();
    crate::context::ctx()?
        .accounts
        .register(workflows::accounts::Registration {
            email,
            password,
            language: lang,
        })
        .await?;
    // So "check your mail" can say where it went, and sign-in can start with it.
    let session = crate::auth::session().await?;
    crate::auth::put(&session, super::ADDRESS_KEY, address).await?;
    leptos_axum::redirect(&format!("/{}/check-mail", lang.code()));
    Ok(())
}
