use crate::api::AppError;
use leptos::prelude::*;

/// The code step of signing in, after a right password.
#[server(endpoint = "account/sign_in_code")]
pub async fn sign_in_code(lang: String, code: String) -> Result<(), AppError> {
    use crate::auth;
    use domain::AccountId;
    let lang = super::parse::lang(&lang);
    let session = auth::session().await?;
    let Some(pending) = auth::get::<String>(&session, auth::PENDING_KEY).await? else {
        return Err(auth::fail(AppError::SignInRequired));
    };
    let account = crate::context::ctx()?
        .accounts
        .verify_code(
            &AccountId::from_stored(pending),
            &code,
            auth::client().await?,
        )
        .await?;
    let called_off = auth::call_off_deletion(&account, lang).await?;
    auth::establish(&session, &account).await?;
    let notice = if called_off {
        "?notice=deletion-cancelled"
    } else {
        ""
    };
    leptos_axum::redirect(&format!("/{}/account{notice}", lang.code()));
    Ok(())
}
