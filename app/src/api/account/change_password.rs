use crate::api::AppError;
use leptos::prelude::*;

/// Changes the password (the current one is needed); every other session ends, and this one
/// gets a new id.
#[server(endpoint = "account/change_password")]
pub async fn change_password(
    lang: String,
    current: String,
    password: String,
) -> Result<(), AppError> {
    use super::parse;
    use crate::auth;
    let lang = parse::lang(&lang);
    let (session, account) = auth::require_user().await?;
    let password = parse::new_password(password).map_err(parse::invalid)?;
    let keep = auth::session_hash(&session);
    crate::context::ctx()?
        .accounts
        .change_password(&account.id, &current, &password, keep.as_deref())
        .await?;
    auth::establish(&session, &account).await?;
    leptos_axum::redirect(&format!("/{}/account?notice=password-changed", lang.code()));
    Ok(())
}
