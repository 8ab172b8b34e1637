use crate::api::AppError;
use leptos::prelude::*;

/// Asks the provider to take the holder's numbers out of the telephone directory.
#[server(endpoint = "provider/unlist")]
pub async fn unlist_directory(lang: String) -> Result<(), AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    crate::context::ctx()?
        .provider_requests
        .unlist_directory(&account.id)
        .await?;
    leptos_axum::redirect(&format!(
        "/{}/account/provider?notice=unlist-requested",
        lang.code()
    ));
    Ok(())
}
