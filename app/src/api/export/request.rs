use crate::api::AppError;
use leptos::prelude::*;

/// Asks for a new copy of everything (Arts. 15(3) and 20 GDPR).
#[server(endpoint = "my_data/export")]
pub async fn request_export(lang: String) -> Result<(), AppError> {
    use workflows::export::ExportError;
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    crate::context::ctx()?
        .exports
        .request(&account.id, lang)
        .await
        .map_err(|e| {
            crate::auth::fail(match e {
                ExportError::AlreadyBuilding => AppError::InProgress,
                other => crate::auth::internal("an export could not be requested", other),
            })
        })?;
    leptos_axum::redirect(&format!(
        "/{}/my-data/export?notice=export-requested",
        lang.code()
    ));
    Ok(())
}
