use super::ConsentView;
use crate::api::AppError;
use leptos::prelude::*;

/// Records a cookie choice and remembers it in the technical consent cookie.
///
/// `answer`: `accept` (all), `reject` (all), `save` (the ticked categories), `keep` (an earlier
/// opt-in, despite a new GPC signal) or `follow-gpc`; `method`: `banner` or `settings`. Without
/// JavaScript the browser goes back to the page it came from (the settings page with a notice);
/// cookies of categories now refused are expired in the same response by the server's guard.
#[server(endpoint = "cookies/choose")]
pub async fn choose_cookies(
    lang: String,
    answer: String,
    #[server(default)] method: String,
    #[server(default)] functional: Option<String>,
    #[server(default)] analytical: Option<String>,
    #[server(default)] commercial: Option<String>,
) -> Result<ConsentView, AppError> {
    use crate::api::{FieldError, Problem};
    use domain::{Choice, Method};
    use workflows::consent::NewChoice;
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let now = super::consent_now();
    let mut problems = Vec::new();
    let mut invalid = |field: &str| {
        problems.push(FieldError {
            field: field.into(),
            problem: Problem::ChoiceInvalid,
        })
    };
    let mut ticked = |field: &str, value: &Option<String>| match value.as_deref() {
        None => false,
        Some("on" | "yes") => true,
        Some(_) => {
            invalid(field);
            false
        }
    };
    let ticks = Choice {
        functional: ticked("functional", &functional),
        analytical: ticked("analytical", &analytical),
        commercial: ticked("commercial", &commercial),
    };
    let mut invalid = |field: &str| {
        problems.push(FieldError {
            field: field.into(),
            problem: Problem::ChoiceInvalid,
        })
    };
    let method = match method.as_str() {
        "banner" => Method::Banner,
        "settings" => Method::Settings,
        _ => {
            invalid("method");
            Method::Banner
        }
    };
    let earlier = now.consent.cookie.as_ref().map(|c| c.choice);
    let chosen = match (answer.as_str(), earlier) {
        ("accept", _) => Some((Choice::ALL, method)),
        ("reject", _) => Some((Choice::NONE, method)),
        ("save", _) => Some((ticks, method)),
        ("keep", Some(earlier)) if now.consent.conflicts_with_gpc() => Some((earlier, method)),
        ("follow-gpc", Some(earlier)) => Some((earlier.under_gpc(), Method::Gpc)),
        _ => {
            invalid("answer");
            None
        }
    };
    let Some((choice, method)) = chosen.filter(|_| problems.is_empty()) else {
        return Err(crate::auth::fail(AppError::Invalid(problems)));
    };
    let account = crate::auth::current().await?.map(|(_, account)| account.id);
    let consents = crate::context::ctx()?.consents;
    let cookie = consents
        .record(NewChoice {
            device: now.consent.cookie.as_ref().map(|c| c.id.as_str()),
            account: account.as_ref(),
            choice,
            method,
            gpc: now.consent.gpc,
        })
        .await
        .map_err(|e| crate::auth::internal("a cookie choice could not be recorded", e))?;
    let header = consents
        .consent_cookie(&cookie)
        .map_err(|e| crate::auth::internal("the consent cookie could not be written", e))
        .and_then(|value| {
            http::HeaderValue::from_str(&value)
                .map_err(|e| crate::auth::internal("the consent cookie is not a header", e))
        })?;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(http::header::SET_COOKIE, header);
    }
    if method == Method::Settings {
        leptos_axum::redirect(&format!("/{}/cookies?notice=cookies-saved", lang.code()));
    }
    let consent = domain::Consent {
        cookie: Some(cookie),
        gpc: now.consent.gpc,
    };
    Ok(ConsentView::of(&consent, false))
}
