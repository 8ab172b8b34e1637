use crate::api::AppError;
use leptos::prelude::*;

/// Asks the provider to correct one field of one of the holder's records there.
#[server(endpoint = "my_data/correct_at_provider")]
pub async fn correct_at_provider(
    lang: String,
    record_id: String,
    field: String,
    #[server(default)] value: String,
) -> Result<(), AppError> {
    use crate::api::Problem;
    use workflows::my_data::ProviderCorrectionError;
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    crate::context::ctx()?
        .my_data
        .correct_at_provider(&account.id, &record_id, &field, &value)
        .await
        .map_err(|e| {
            crate::auth::fail(match e {
                ProviderCorrectionError::Invalid(problem) => {
                    AppError::field("value", Problem::Profile(problem))
                }
                ProviderCorrectionError::NotCorrectable => {
                    AppError::field("value", Problem::Required)
                }
                ProviderCorrectionError::NotASubscriber => AppError::Forbidden,
                ProviderCorrectionError::Store(e) => {
                    crate::auth::internal("a correction at the provider failed", e)
                }
            })
        })?;
    leptos_axum::redirect(&format!(
        "/{}/my-data?notice=correction-requested#corrections",
        lang.code()
    ));
    Ok(())
}
