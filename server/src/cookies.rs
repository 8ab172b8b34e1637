//! Cookies and consent at the edge of every request.
//!
//! [`guard`] wraps everything: a response may only set cookies the registry lists, and only in
//! categories the visitor allowed (technical always); cookies of a refused or withdrawn category
//! that the browser still sends are expired in the same response. [`consent`] sits next to the
//! routes: it reads the visitor's choice for the pages, lets a choice made signed in follow the
//! account to this device, records the browser's Global Privacy Control signal as a choice, sets
//! the functional and analytical cookies the visitor allowed, and counts page views.

use axum::{
    extract::{MatchedPath, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::Response,
};
use domain::{AccountId, Choice, ConsentCookie, CookieRegistry, Lang};
use store::session::ACCOUNT_KEY;
use tower_sessions::{Session, cookie::Cookie};
use workflows::consent::{Consents, NewChoice, RequestConsent};

/// `/.well-known/gpc.json`: this site honours Global Privacy Control (GPC specification, "GPC
/// support resource"); `lastUpdate` is when that support last changed.
pub async fn gpc_support() -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        r#"{"gpc":true,"lastUpdate":"2026-11-24"}"#,
    )
}

/// The functional cookie that remembers the language.
pub const LANG_COOKIE: &str = "portal_lang";
/// The analytical cookie that holds the day its visitor was last counted.
pub const VISIT_COOKIE: &str = "portal_visit";

/// The cookies a request carries: (name as sent, value).
pub fn sent_cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| {
            Cookie::split_parse(v)
                .filter_map(Result::ok)
                .map(|c| (c.name().to_owned(), c.value().to_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The value of a registered cookie, whichever prefix it was sent with.
fn sent_value<'a>(
    sent: &'a [(String, String)],
    registry: &CookieRegistry,
    name: &str,
) -> Option<&'a str> {
    sent.iter()
        .find(|(sent_name, _)| registry.find(sent_name).is_some_and(|s| s.name == name))
        .map(|(_, value)| value.as_str())
}

/// Whether the browser sends Global Privacy Control (`Sec-GPC: 1`).
fn sends_gpc(headers: &HeaderMap) -> bool {
    headers
        .get("sec-gpc")
        .is_some_and(|v| v.as_bytes().trim_ascii() == b"1")
}

/// The language the functional cookie remembers, if the browser sent it and functional cookies
/// are allowed.
pub fn remembered_lang(consents: &Consents, headers: &HeaderMap) -> Option<Lang> {
    let sent = sent_cookies(headers);
    let registry = consents.registry();
    let consent = consents.read(
        sent_value(&sent, registry, ConsentCookie::NAME),
        sends_gpc(headers),
    );
    if !consent.effective().functional {
        return None;
    }
    sent_value(&sent, registry, LANG_COOKIE).and_then(Lang::from_code)
}

/// A `Set-Cookie` that removes the cookie rather than sets it.
fn removes(cookie: &Cookie<'_>) -> bool {
    cookie
        .max_age()
        .is_some_and(|age| age <= time::Duration::ZERO)
        || cookie
            .expires_datetime()
            .is_some_and(|at| at <= time::OffsetDateTime::now_utc())
}

/// Lets through only registered cookies in allowed categories, and expires those of refused
/// categories that the browser sent. The consent that rules is the one the response itself sets
/// (a choice just made), otherwise the request's.
pub async fn guard(State(consents): State<Consents>, request: Request, next: Next) -> Response {
    let sent = sent_cookies(request.headers());
    let gpc = sends_gpc(request.headers());
    let registry = consents.registry();
    let before = consents.read(sent_value(&sent, registry, ConsentCookie::NAME), gpc);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    headers.remove(header::SET_COOKIE);
    let parsed: Vec<(HeaderValue, Option<Cookie<'static>>)> = set
        .into_iter()
        .map(|value| {
            let cookie = value
                .to_str()
                .ok()
                .and_then(|s| Cookie::parse(s.to_owned()).ok());
            (value, cookie)
        })
        .collect();
    let consent = parsed
        .iter()
        .filter_map(|(_, cookie)| cookie.as_ref())
        .find(|c| {
            !removes(c)
                && registry
                    .find(c.name())
                    .is_some_and(|s| s.name == ConsentCookie::NAME)
        })
        .map_or(before, |c| consents.read(Some(c.value()), gpc));
    let allowed = consent.effective();
    let mut handled: Vec<String> = Vec::new();
    for (value, cookie) in parsed {
        let Some(cookie) = cookie else {
            tracing::error!("refused to set a cookie that could not be read");
            continue;
        };
        let Some(spec) = registry.find(cookie.name()) else {
            tracing::error!(
                cookie = cookie.name(),
                "refused to set a cookie that is not in the cookie registry"
            );
            continue;
        };
        if !removes(&cookie) && !allowed.allows(spec.category) {
            tracing::error!(
                cookie = cookie.name(),
                category = spec.category.as_str(),
                "refused to set a cookie of a category the visitor has not allowed"
            );
            continue;
        }
        handled.push(spec.name.clone());
        headers.append(header::SET_COOKIE, value);
    }
    for (name, _) in &sent {
        let Some(spec) = registry.find(name) else {
            continue;
        };
        if allowed.allows(spec.category) || handled.contains(&spec.name) {
            continue;
        }
        if let Ok(value) = HeaderValue::from_str(&consents.expire_cookie(&spec.name)) {
            headers.append(header::SET_COOKIE, value);
        }
        handled.push(spec.name.clone());
    }
    response
}

/// A page view: a GET of a page in a language, by a browser that wants HTML.
fn is_page_request(request: &Request) -> bool {
    request.method() == Method::GET
        && Lang::of_path(request.uri().path()).is_some()
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
}

fn is_html_page(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/html"))
}

/// The signed-in account of the request's session, if any.
async fn signed_in(session: Option<Session>) -> Option<AccountId> {
    let session = session?;
    match session.get::<String>(ACCOUNT_KEY).await {
        Ok(id) => id.map(AccountId::from_stored),
        Err(error) => {
            tracing::warn!(%error, "the session could not be read for the cookie choice");
            None
        }
    }
}

/// Reads the visitor's choice for the page; see the module's documentation.
pub async fn consent(
    State(consents): State<Consents>,
    mut request: Request,
    next: Next,
) -> Response {
    let sent = sent_cookies(request.headers());
    let registry = consents.registry();
    let gpc = sends_gpc(request.headers());
    let mut consent = consents.read(sent_value(&sent, registry, ConsentCookie::NAME), gpc);
    let page = is_page_request(&request);
    let mut set_cookies = Vec::new();
    let mut gpc_recorded = false;
    if page {
        let account = signed_in(request.extensions().get::<Session>().cloned()).await;
        let adopted = match &account {
            Some(account) => consents.of_account(account).await.unwrap_or_else(|error| {
                tracing::warn!(%error, "the account's cookie choice could not be read");
                None
            }),
            None => None,
        };
        let recorded = match adopted {
            // A choice made signed in elsewhere follows the account to this device.
            Some(choice) if consent.cookie.as_ref() != Some(&choice) => Some(choice),
            Some(_) => None,
            // GPC without a choice: recorded as the visitor's choice, and the page says so.
            None if consent.undecided() && gpc => {
                let recorded = consents
                    .record(NewChoice {
                        device: None,
                        account: account.as_ref(),
                        choice: Choice::NONE,
                        method: domain::Method::Gpc,
                        gpc: true,
                    })
                    .await;
                match recorded {
                    Ok(cookie) => {
                        gpc_recorded = true;
                        Some(cookie)
                    }
                    Err(error) => {
                        tracing::warn!(%error, "the GPC signal could not be recorded");
                        None
                    }
                }
            }
            None => None,
        };
        if let Some(cookie) = recorded {
            set_cookies.extend(consents.consent_cookie(&cookie).ok());
            consent.cookie = Some(cookie);
        }
    }
    request.extensions_mut().insert(RequestConsent {
        consent: consent.clone(),
        gpc_recorded,
    });
    let lang = Lang::of_path(request.uri().path());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let mut response = next.run(request).await;
    if page && is_html_page(&response) {
        let allowed = consent.effective();
        if let Some(lang) = lang
            && allowed.functional
            && sent_value(&sent, registry, LANG_COOKIE) != Some(lang.code())
        {
            set_cookies.extend(consents.set_cookie(LANG_COOKIE, lang.code()).ok());
        }
        if let (Some(route), Some(lang)) = (route, lang) {
            let today = consents.today().to_string();
            let visitor = allowed.analytical
                && sent_value(&sent, registry, VISIT_COOKIE) != Some(today.as_str());
            if visitor {
                set_cookies.extend(consents.set_cookie(VISIT_COOKIE, &today).ok());
            }
            // The route, not the address: tokens in a path are never counted or stored.
            let path = route.replace("{lang}", lang.code());
            let consents = consents.clone();
            tokio::spawn(async move {
                if let Err(error) = consents.count_view(&path, visitor).await {
                    tracing::warn!(%error, "a page view could not be counted");
                }
            });
        }
    }
    for value in set_cookies {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
