use crate::api::AppError;
use leptos::prelude::*;

/// Signs the account out everywhere but here.
#[server(endpoint = "account/end_other_sessions")]
pub async fn end_other_sessions(lang: String) -> Result<(), AppError> {
    use crate::auth;
    let lang = super::parse::lang(&lang);
    let (session, account) = auth::require_user().await?;
    let Some(keep) = auth::session_hash(&session) else {
        return Err(auth::fail(AppError::SignInRequired));
    };
    crate::context::ctx()?
        .accounts
        .end_other_sessions(&account.id, &keep)
        .await?;
    leptos_axum::redirect(&format!(
        "/{}/account/sessions?notice=sessions-ended",
        lang.code()
    ));
    Ok(())
}
