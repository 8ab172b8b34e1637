use crate::api::AppError;
use leptos::prelude::*;

/// An admin creates a support or admin account (after re-authentication).
#[server(endpoint = "admin/create_staff")]
pub async fn create_staff_account(
    lang: String,
    email: String,
    role: String,
    password: String,
) -> Result<(), AppError> {
    use super::parse;
    use crate::{api::Problem, auth};
    use domain::Role;
    use workflows::accounts::{CreateStaffError, NewStaff, create_staff};
    let lang = parse::lang(&lang);
    let (session, _admin) = auth::require_role(&[Role::Admin]).await?;
    auth::require_recent_auth(&session).await?;
    let (email, password) = parse::both(parse::email(&email), parse::new_password(password))?;
    let role = role
        .parse::<Role>()
        .ok()
        .filter(|r| r.is_staff())
        .ok_or_else(|| parse::invalid(AppError::field("role", Problem::RoleInvalid)))?;
    let accounts = crate::context::ctx()?.accounts;
    let new = NewStaff {
        email,
        role,
        password,
        language: lang,
        created_by: store::Actor::Staff,
    };
    create_staff(
        accounts.store().as_ref(),
        accounts.hasher(),
        accounts.clock().as_ref(),
        new,
    )
    .await
    .map_err(|error| {
        auth::fail(match error {
            CreateStaffError::AddressTaken => AppError::field("email", Problem::AddressTaken),
            CreateStaffError::Password(p) => AppError::field("password", Problem::Password(p)),
            CreateStaffError::NotStaff(_) => AppError::field("role", Problem::RoleInvalid),
            other => {
                tracing::error!(error = %other, "creating a staff account failed");
                AppError::Internal
            }
        })
    })?;
    leptos_axum::redirect(&format!(
        "/{}/admin/staff?notice=staff-created",
        lang.code()
    ));
    Ok(())
}
