use crate::api::AppError;
use leptos::prelude::*;

/// Re-authentication before a sensitive action: the password, and the code where two-step
/// sign-in is on. Then back to `next` (a page of this portal).
#[server(endpoint = "account/confirm_identity")]
pub async fn confirm_identity(
    lang: String,
    password: String,
    code: Option<String>,
    next: String,
) -> Result<(), AppError> {
    use super::parse;
    use crate::auth;
    let lang = parse::lang(&lang);
    let (session, account) = auth::require_user().await?;
    crate::context::ctx()?
        .accounts
        .reauthenticate(
            &account.id,
            &password,
            code.as_deref(),
            auth::client().await?,
        )
        .await
        .map_err(|error| match error {
            workflows::accounts::AccountsError::WrongPassword => auth::fail(AppError::field(
                "password",
                crate::api::Problem::WrongPassword,
            )),
            other => other.into(),
        })?;
    auth::authenticated_now(&session).await?;
    leptos_axum::redirect(&parse::next_page(&next, lang));
    Ok(())
}
