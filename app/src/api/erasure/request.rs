use crate::api::AppError;
use leptos::prelude::*;

/// Deletes the signed-in account: after the cool-off (`when = "later"`) or at once
/// (`when = "now"`). Needs the password within the step-up window and the confirmation box
/// ticked; the account is deactivated, every session ends, and the browser goes to the status
/// page.
#[server(endpoint = "my_data/delete_account")]
pub async fn delete_account(
    lang: String,
    #[server(default)] confirm: Option<String>,
    #[server(default)] when: String,
) -> Result<(), AppError> {
    use crate::api::{FieldError, Problem};
    use workflows::erasure::{ErasureError, When};
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (session, account) = crate::auth::require_user().await?;
    crate::auth::require_recent_auth(&session).await?;
    let mut problems = Vec::new();
    if confirm.as_deref() != Some("yes") {
        problems.push(FieldError {
            field: "confirm".into(),
            problem: Problem::DeletionNotConfirmed,
        });
    }
    let when = match when.as_str() {
        "later" => Some(When::AfterCoolOff),
        "now" => Some(When::Now),
        _ => {
            problems.push(FieldError {
                field: "when".into(),
                problem: Problem::ChoiceInvalid,
            });
            None
        }
    };
    let Some(when) = when.filter(|_| problems.is_empty()) else {
        return Err(crate::auth::fail(AppError::Invalid(problems)));
    };
    let requested = crate::context::ctx()?
        .erasures
        .request(&account, when, lang)
        .await
        .map_err(|e| {
            crate::auth::fail(match e {
                ErasureError::AlreadyPending => AppError::DeletionPending,
                ErasureError::NotACustomer => AppError::Forbidden,
                other => crate::auth::internal("a deletion could not be asked for", other),
            })
        })?;
    // The store's sessions are gone; this one must not be written back either.
    session
        .flush()
        .await
        .map_err(|e| crate::auth::internal("the session could not be ended", e))?;
    leptos_axum::redirect(&format!(
        "/{}/account-deletion/{}",
        lang.code(),
        requested.status_token
    ));
    Ok(())
}
