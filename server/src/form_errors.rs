//! The answer to a form posted without JavaScript lands at the form, under a clean address.
//!
//! A server function called by a plain `<form>` answers a refusal with a redirect back to the
//! page, the error in its query (`?__path=…&__err=<base64>`): the address bar showed it and the
//! page opened at its top, the message far below. Here the error moves into a short-lived
//! technical cookie and the redirect goes to the page's own address with `#error-summary`; the
//! page's next GET takes the cookie back (as a request extension the page reads) and forgets it.
//! An error too long for a cookie keeps the old way, so no answer is ever lost.

use crate::cookies;
use app::FormFlash;
use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, header},
    middleware::Next,
    response::Response,
};
use domain::{CookieRegistry, Lang};
use url::Url;
use workflows::consent::Consents;

/// The cookie that carries a refused form's error to its page (registered as technical).
pub const FORM_ERROR_COOKIE: &str = "portal_form_error";
/// The id of the error summary a refused form's page opens at.
pub const SUMMARY_ID: &str = "error-summary";

#[derive(Clone)]
pub struct Carrier {
    pub consents: Consents,
    pub secure: bool,
}

/// Moves a server function's error from a redirect's address into the cookie, and from the
/// cookie into the page that the redirect leads to.
pub async fn carry(State(carrier): State<Carrier>, mut request: Request, next: Next) -> Response {
    let registry = carrier.consents.registry();
    let is_page = request.method() == Method::GET && Lang::of_path(request.uri().path()).is_some();
    let sent = is_page
        .then(|| {
            cookies::sent_cookies(request.headers())
                .into_iter()
                .find(|(name, _)| is_form_error_cookie(registry, name))
        })
        .flatten();
    let consumed = sent.is_some();
    if let Some(flash) = sent.and_then(|(_, value)| decode(&value)) {
        request.extensions_mut().insert(flash);
    }
    let mut response = next.run(request).await;
    if consumed {
        let expire = registry.expire_cookie(FORM_ERROR_COOKIE, carrier.secure);
        if let Ok(value) = HeaderValue::from_str(&expire) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    if !response.status().is_redirection() {
        return response;
    }
    let Some((clean, flash)) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(take_error)
    else {
        return response;
    };
    let (Ok(cookie), Ok(location)) = (
        registry.set_cookie(FORM_ERROR_COOKIE, &encode(&flash), carrier.secure),
        HeaderValue::from_str(&clean),
    ) else {
        return response;
    };
    let Ok(cookie) = HeaderValue::from_str(&cookie) else {
        return response;
    };
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, location);
    headers.append(header::SET_COOKIE, cookie);
    response
}

fn is_form_error_cookie(registry: &CookieRegistry, name: &str) -> bool {
    registry
        .find(name)
        .is_some_and(|spec| spec.name == FORM_ERROR_COOKIE)
}

/// Splits a redirect's address into the page's own address (path and remaining query, at the
/// error summary) and the error it carried. A notice from an earlier step is dropped with it.
fn take_error(location: &str) -> Option<(String, FormFlash)> {
    let base = Url::parse("http://portal.invalid").ok()?;
    let url = base.join(location).ok()?;
    let (mut path, mut error) = (None, None);
    let mut rest = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in url.query_pairs() {
        match &*key {
            "__path" => path = Some(value.into_owned()),
            "__err" => error = Some(value.into_owned()),
            "notice" => {}
            _ => {
                rest.append_pair(&key, &value);
            }
        }
    }
    let flash = FormFlash {
        path: path?,
        error: error?,
    };
    let query = rest.finish();
    let clean = if query.is_empty() {
        format!("{}#{SUMMARY_ID}", url.path())
    } else {
        format!("{}?{query}#{SUMMARY_ID}", url.path())
    };
    // Never somewhere else: `//host` would leave the site.
    (!clean.starts_with("//")).then_some((clean, flash))
}

/// The cookie's value: the server function's path with `~` for `/`, a dot, the error's
/// URL-safe base64 without padding (a cookie value may hold neither `/` nor `=`).
fn encode(flash: &FormFlash) -> String {
    format!(
        "{}.{}",
        flash.path.replace('/', "~"),
        flash.error.trim_end_matches('=')
    )
}

fn decode(value: &str) -> Option<FormFlash> {
    let (path, error) = value.split_once('.')?;
    let valid = |s: &str, extra: char| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == extra as u8)
    };
    if !valid(path, '~') || !valid(error, '-') || !path.starts_with('~') {
        return None;
    }
    let padding = (4 - error.len() % 4) % 4;
    Some(FormFlash {
        path: path.replace('~', "/"),
        error: format!("{error}{}", "=".repeat(padding)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_leaves_the_address_clean_and_lands_at_the_summary() {
        let (clean, flash) = take_error(
            "http://127.0.0.1:3000/nl/sign-in?notice=confirmed&email=a%40b.nl&__path=%2Fapi%2Faccount%2Fsign_in&__err=eyJJbnZhbGlkIjpbXX0%3D",
        )
        .expect("an error");
        assert_eq!(clean, "/nl/sign-in?email=a%40b.nl#error-summary");
        assert_eq!(flash.path, "/api/account/sign_in");
        assert_eq!(flash.error, "eyJJbnZhbGlkIjpbXX0=");
    }

    #[test]
    fn a_redirect_without_an_error_is_left_alone() {
        assert!(take_error("/nl/account?notice=password-changed").is_none());
    }

    #[test]
    fn a_refusal_never_sends_the_browser_to_another_site() {
        let (clean, _) = take_error("//evil.example/nl?__path=/x&__err=e30=").expect("an error");
        assert_eq!(clean, "/nl#error-summary");
        assert!(take_error("http://127.0.0.1:3000//evil.example?__path=/x&__err=e30=").is_none());
    }

    #[test]
    fn the_cookie_value_carries_path_and_error_back_unchanged() {
        for error in ["eyJJbnZhbGlkIjpbXX0=", "e30=", "eyJhIjoxfQ==", "YWJj"] {
            let flash = FormFlash {
                path: "/api/my_data/correct_profile".into(),
                error: error.into(),
            };
            let value = encode(&flash);
            assert!(!value.contains('/') && !value.contains('='), "{value}");
            assert_eq!(decode(&value), Some(flash));
        }
    }

    #[test]
    fn a_tampered_cookie_value_carries_nothing() {
        for value in [
            "",
            ".",
            "~api.",
            "api~x.e30",
            "~api~x.e3 0",
            "~api~x.e3=0",
            "~api",
        ] {
            assert_eq!(decode(value), None, "{value}");
        }
    }
}
