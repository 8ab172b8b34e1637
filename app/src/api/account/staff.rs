use crate::api::AppError;
use domain::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A staff account as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub email: String,
    pub role: Role,
    pub two_step: bool,
}

/// The support and admin accounts (admins only).
#[server(endpoint = "admin/staff", input = server_fn::codec::GetUrl)]
pub async fn staff_accounts() -> Result<Vec<StaffView>, AppError> {
    crate::auth::require_role(&[Role::Admin]).await?;
    let rows = crate::context::ctx()?
        .accounts
        .store()
        .staff_accounts()
        .await
        .map_err(workflows::accounts::AccountsError::from)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(StaffView {
                role: row.role.parse().ok()?,
                two_step: row.totp_secret.is_some(),
                email: row.email,
            })
        })
        .collect())
}
