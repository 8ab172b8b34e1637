use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the set-up page shows: the QR code and, for typing in, the secret. Only ever sent to
/// the account setting it up, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetupView {
    pub qr_svg: String,
    pub secret: String,
    /// A staff member who signed in with the password only and must finish this first.
    pub required: bool,
}

#[cfg(feature = "ssr")]
async fn setting_up()
-> Result<(tower_sessions::Session, workflows::accounts::Account, bool), AppError> {
    use crate::auth;
    use domain::AccountId;
    if let Some((session, account)) = auth::current().await? {
        return Ok((session, account, false));
    }
    let session = auth::session().await?;
    let Some(id) = auth::get::<String>(&session, auth::SETUP_KEY).await? else {
        return Err(auth::fail(AppError::SignInRequired));
    };
    let account = crate::context::ctx()?
        .accounts
        .account(&AccountId::from_stored(id))
        .await?
        .ok_or_else(|| auth::fail(AppError::SignInRequired))?;
    Ok((session, account, true))
}

/// Starts (or resumes) setting up two-step sign-in: a new secret kept in the session until a
/// code proves the app has it. A POST, like every server function that writes something (here:
/// the session).
#[server(endpoint = "account/two_step_setup")]
pub async fn two_step_setup() -> Result<Option<TwoStepSetupView>, AppError> {
    use crate::auth;
    use workflows::accounts::totp::TotpSecret;
    let (session, account, required) = setting_up().await?;
    if account.totp_enabled {
        return Ok(None);
    }
    let accounts = crate::context::ctx()?.accounts;
    let enrolment = match auth::get::<String>(&session, auth::TOTP_SECRET_KEY).await? {
        Some(secret) => workflows::accounts::totp::enrolment_for(
            &TotpSecret::from_base32(secret),
            &accounts.site_name(),
            account.email.as_str(),
        )
        .map_err(workflows::accounts::AccountsError::from),
        None => accounts.start_totp(&account),
    }?;
    auth::put(
        &session,
        auth::TOTP_SECRET_KEY,
        enrolment.secret.expose_base32(),
    )
    .await?;
    Ok(Some(TwoStepSetupView {
        qr_svg: enrolment.qr_svg,
        secret: enrolment.secret.expose_base32().to_owned(),
        required,
    }))
}

/// Turns two-step sign-in on with a code from the app; a staff member setting it up at sign-in
/// is signed in by it.
#[server(endpoint = "account/enable_two_step")]
pub async fn enable_two_step(lang: String, code: String) -> Result<(), AppError> {
    use crate::auth;
    use workflows::accounts::totp::TotpSecret;
    let lang = super::parse::lang(&lang);
    let (session, account, _) = setting_up().await?;
    let Some(secret) = auth::get::<String>(&session, auth::TOTP_SECRET_KEY).await? else {
        return Err(auth::fail(AppError::field(
            "code",
            crate::api::Problem::CodeInvalid,
        )));
    };
    let account = crate::context::ctx()?
        .accounts
        .enable_totp(&account.id, &TotpSecret::from_base32(secret), &code)
        .await?;
    // A change of how the account signs in: a new session id either way.
    auth::establish(&session, &account).await?;
    leptos_axum::redirect(&format!("/{}/account?notice=two-step-on", lang.code()));
    Ok(())
}

/// Customers may turn two-step sign-in off (after re-authentication).
#[server(endpoint = "account/disable_two_step")]
pub async fn disable_two_step(lang: String) -> Result<(), AppError> {
    use crate::auth;
    let lang = super::parse::lang(&lang);
    let (session, account) = auth::require_user().await?;
    auth::require_recent_auth(&session).await?;
    crate::context::ctx()?
        .accounts
        .disable_totp(&account.id)
        .await?;
    leptos_axum::redirect(&format!("/{}/account?notice=two-step-off", lang.code()));
    Ok(())
}
