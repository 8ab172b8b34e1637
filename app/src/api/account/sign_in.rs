use crate::api::AppError;
use leptos::prelude::*;

/// The password step of signing in. Goes on to the code step, the two-step set-up (staff
/// without it), or the account page.
#[server(endpoint = "account/sign_in")]
pub async fn sign_in(lang: String, email: String, password: String) -> Result<(), AppError> {
    use super::parse;
    use crate::auth;
    use workflows::accounts::SignIn as Outcome;
    let lang = parse::lang(&lang);
    let email = parse::email(&email).map_err(parse::invalid)?;
    let session = auth::session().await?;
    let client = auth::client().await?;
    let outcome = crate::context::ctx()?
        .accounts
        .sign_in(&email, &password, client)
        .await?;
    let next = match outcome {
        Outcome::Done(account, first) => {
            let called_off = auth::call_off_deletion(&account, lang).await?;
            auth::establish(&session, &account).await?;
            if first {
                auth::put(&session, auth::FIRST_SESSION_KEY, true).await?;
            }
            if called_off {
                "account?notice=deletion-cancelled"
            } else {
                "account"
            }
        }
        Outcome::TotpRequired(id) => {
            auth::put(&session, auth::PENDING_KEY, id.as_str()).await?;
            "sign-in/code"
        }
        Outcome::TotpSetupRequired(id) => {
            auth::put(&session, auth::SETUP_KEY, id.as_str()).await?;
            "account/two-step"
        }
    };
    leptos_axum::redirect(&format!("/{}/{next}", lang.code()));
    Ok(())
}
