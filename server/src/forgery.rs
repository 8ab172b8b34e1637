//! Refuses forged cross-site requests before they reach any mutating handler or server function.
//!
//! Browsers say where a request comes from: `Sec-Fetch-Site` (all current browsers) or, failing
//! that, `Origin`. A state-changing request (anything but GET, HEAD, OPTIONS) must come from the
//! portal's own pages: `Sec-Fetch-Site: same-origin` (or `none`, a request the user typed), or,
//! without that header, an `Origin` equal to the public URL's. Everything else gets 403. Forms
//! need no token, so they keep working without JavaScript.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::Arc;

/// The portal's own origin, e.g. `https://privacy.example.nl`, as browsers write it.
#[derive(Clone)]
pub struct OwnOrigin(pub Arc<str>);

pub async fn refuse_cross_site(
    State(own): State<OwnOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe(request.method()) || comes_from(&own, request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(method = %request.method(), "refused a cross-site request");
    (
        StatusCode::FORBIDDEN,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        "Dit verzoek kwam niet van deze website en is geweigerd. Er is niets gewijzigd.\n\
         This request did not come from this website and was refused. Nothing was changed.\n",
    )
        .into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn comes_from(own: &OwnOrigin, headers: &HeaderMap) -> bool {
    match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        Some(b"same-origin" | b"none") => true,
        Some(_) => false,
        None => headers
            .get(header::ORIGIN)
            .is_some_and(|origin| origin.as_bytes() == own.0.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    header::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn only_same_origin_fetch_metadata_or_our_own_origin_counts_as_ours() {
        let own = OwnOrigin("https://privacy.example.nl".into());
        let ours = |pairs| comes_from(&own, &headers(pairs));
        assert!(ours(&[("sec-fetch-site", "same-origin")]));
        assert!(ours(&[("sec-fetch-site", "none")]));
        assert!(
            !ours(&[("sec-fetch-site", "same-site")]),
            "a sibling subdomain is not us"
        );
        assert!(!ours(&[("sec-fetch-site", "cross-site")]));
        // Fetch metadata wins over a matching Origin.
        assert!(!ours(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://privacy.example.nl")
        ]));
        assert!(ours(&[("origin", "https://privacy.example.nl")]));
        assert!(!ours(&[(
            "origin",
            "https://privacy.example.nl.evil.example"
        )]));
        assert!(
            !ours(&[("origin", "http://privacy.example.nl")]),
            "the scheme is part of the origin"
        );
        assert!(!ours(&[("origin", "null")]));
        assert!(!ours(&[]), "a request that says nothing is not trusted");
    }
}
