// One argument per form field: the form posts them flat, as a form without JavaScript does.
#![allow(clippy::too_many_arguments)]

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The profile as its correction form shows it, with the version to save over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub values: domain::ProfileInput,
    pub version: i64,
}

#[server(endpoint = "my_data/profile", input = server_fn::codec::GetUrl)]
pub async fn my_profile() -> Result<ProfileForm, AppError> {
    let (_, account) = crate::auth::require_user().await?;
    let (profile, version) = crate::context::ctx()?
        .my_data
        .profile(&account.id)
        .await
        .map_err(|e| {
            crate::auth::fail(crate::auth::internal("the profile could not be read", e))
        })?;
    let text = |v: Option<String>| v.unwrap_or_default();
    Ok(ProfileForm {
        values: domain::ProfileInput {
            name: text(profile.name),
            phone: text(profile.phone),
            company: text(profile.company),
            job_title: text(profile.job_title),
            street: text(profile.street),
            postcode: text(profile.postcode),
            city: text(profile.city),
            country: text(profile.country),
        },
        version,
    })
}

/// Saves the holder's corrections of their profile (Art. 16 GDPR).
#[server(endpoint = "my_data/correct_profile")]
pub async fn correct_profile(
    lang: String,
    version: i64,
    // A field left out is an empty field (cleared), as a browser sends it.
    #[server(default)] name: String,
    #[server(default)] phone: String,
    #[server(default)] company: String,
    #[server(default)] job_title: String,
    #[server(default)] street: String,
    #[server(default)] postcode: String,
    #[server(default)] city: String,
    #[server(default)] country: String,
) -> Result<(), AppError> {
    use workflows::my_data::CorrectionError;
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    let input = domain::ProfileInput {
        name,
        phone,
        company,
        job_title,
        street,
        postcode,
        city,
        country,
    };
    let changed = crate::context::ctx()?
        .my_data
        .correct_profile(&account.id, &input, version)
        .await
        .map_err(|e| {
            crate::auth::fail(match e {
                CorrectionError::Invalid(problems) => invalid(problems),
                CorrectionError::Stale => AppError::Stale,
                CorrectionError::Store(e) => crate::auth::internal("a correction failed", e),
            })
        })?;
    let notice = if changed.is_empty() {
        "profile-unchanged"
    } else {
        "profile-corrected"
    };
    leptos_axum::redirect(&format!("/{}/my-data?notice={notice}#account", lang.code()));
    Ok(())
}

/// The domain's problems, as field errors.
pub fn invalid(problems: Vec<(&'static str, domain::ProfileProblem)>) -> AppError {
    AppError::Invalid(
        problems
            .into_iter()
            .map(|(field, problem)| crate::api::FieldError {
                field: field.to_owned(),
                problem: crate::api::Problem::Profile(problem),
            })
            .collect(),
    )
}
