//! What wraps every request: a request id, the client's address and the metrics (outermost),
//! the cookie guard, security headers, request tracing,
//! an opaque page for server errors, refusal of forged cross-site requests, canonical paths,
//! language negotiation, a body limit, sessions, a refused form's answer carried to its page,
//! and the visitor's cookie choice (innermost).

use crate::{
    AppState, Config,
    client::{self, TrustedProxies},
    cookies,
    forgery::{OwnOrigin, refuse_cross_site},
    form_errors, observe,
};
use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
};
use domain::Lang;
use std::any::Any;
use std::sync::Arc;
use store::session::Sessions;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    limit::RequestBodyLimitLayer,
    map_request_body::MapRequestBodyLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};
use tracing::Level;
use workflows::consent::Consents;

/// Requests larger than this are refused (413) before any handler reads them.
const BODY_LIMIT: usize = 64 * 1024;

/// For every response that is not a page (pages set their own, with a script nonce).
const FALLBACK_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub fn wrap(router: Router<AppState>, state: &AppState, sessions: Sessions) -> Router<AppState> {
    let config: &Config = &state.config;
    let consents: &Consents = &state.consents;
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name(config.session_cookie_name())
        .with_path("/")
        .with_http_only(true)
        .with_secure(config.is_https())
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(config.session.idle_timeout)
                .unwrap_or(time::Duration::MINUTE * 30),
        ));
    let own_origin = OwnOrigin(Arc::from(config.public_url.origin().ascii_serialization()));
    let hsts = config
        .is_https()
        .then(|| HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    // Sessions sit innermost, next to the routes: only requests that get that far touch the
    // session table. The cookie choice is read inside them (a signed-in choice follows the
    // account); the cookie guard sees every response, whatever set its cookies.
    router
        .layer(middleware::from_fn_with_state(
            consents.clone(),
            cookies::consent,
        ))
        .layer(middleware::from_fn_with_state(
            form_errors::Carrier {
                consents: consents.clone(),
                secure: config.is_https(),
            },
            form_errors::carry,
        ))
        .layer(session_layer)
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn_with_state(
                    consents.clone(),
                    cookies::guard,
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(FALLBACK_CSP),
                ))
                // Pages and server functions answer with someone's data (or a fresh CSP
                // nonce): no browser or proxy keeps them. Static files say `no-cache` instead.
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::HeaderName::from_static("cross-origin-opener-policy"),
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::HeaderName::from_static("permissions-policy"),
                    HeaderValue::from_static(
                        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
                    ),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::STRICT_TRANSPORT_SECURITY,
                    hsts,
                ))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(observe::span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(CatchPanicLayer::custom(server_error_page))
                .layer(middleware::from_fn_with_state(
                    own_origin,
                    refuse_cross_site,
                ))
                .layer(middleware::from_fn(canonical_path))
                .layer(middleware::from_fn_with_state(
                    consents.clone(),
                    negotiate_language,
                ))
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
                .layer(MapRequestBodyLayer::new(Body::new)),
        )
        // Outermost: every request gets an id of ours (never the client's), the client's
        // address (through trusted proxies only) and is measured, whatever answers it.
        .layer(
            ServiceBuilder::new()
                .layer(middleware::map_request(forget_request_id))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(middleware::from_fn_with_state(
                    TrustedProxies(Arc::from(config.trusted_proxies.as_slice())),
                    client::resolve,
                ))
                .layer(middleware::from_fn_with_state(
                    state.metrics.clone(),
                    observe::measure,
                )),
        )
}

/// A request id a client sends is not ours to log: it is replaced.
async fn forget_request_id(mut request: Request) -> Request {
    request.headers_mut().remove(observe::REQUEST_ID);
    request
}

/// Decides the request's language: the path's prefix (`/nl/…`, `/en/…`), otherwise the language
/// the visitor last read in (the functional cookie, when allowed), otherwise the visitor's
/// `Accept-Language`, otherwise Dutch. Handlers and pages read it as an extension.
async fn negotiate_language(
    State(consents): State<Consents>,
    mut request: Request,
    next: Next,
) -> Response {
    let from_path = Lang::of_path(request.uri().path());
    let remembered = || cookies::remembered_lang(&consents, request.headers());
    let lang = from_path.or_else(remembered).unwrap_or_else(|| {
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    });
    request.extensions_mut().insert(lang);
    let mut response = next.run(request).await;
    // Only pages and redirects are chosen by language; static files and probes are not.
    let chosen_by_language = response.status().is_redirection()
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if from_path.is_none() && chosen_by_language {
        let headers = response.headers_mut();
        headers.append(header::VARY, HeaderValue::from_static("accept-language"));
        // The remembered language (a functional cookie) chooses too.
        headers.append(header::VARY, HeaderValue::from_static("cookie"));
    }
    response
}

/// One address per page: `/nl/` redirects to `/nl` (the browser's router matches exact paths).
async fn canonical_path(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/');
        let target = match request.uri().query() {
            Some(query) => format!("{}?{query}", if trimmed.is_empty() { "/" } else { trimmed }),
            None => if trimmed.is_empty() { "/" } else { trimmed }.to_owned(),
        };
        // Never redirect to another host: `//evil.example/` trims to `//evil.example`.
        if !target.starts_with("//") {
            return Redirect::permanent(&target).into_response();
        }
    }
    next.run(request).await
}

/// `/` sends the visitor to the policy in their language.
pub async fn root_redirect(request: Request) -> Redirect {
    let lang = request
        .extensions()
        .get::<Lang>()
        .copied()
        .unwrap_or_default();
    Redirect::to(&format!("/{lang}"))
}

/// The page for a failure on our side: no detail, no request data, both languages.
fn server_error_page(_panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    tracing::error!("a request handler panicked");
    let html = r#"<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Er ging iets mis · Something went wrong</title><link rel="stylesheet" href="/pkg/portal.css"></head>
<body><main id="main" class="wrap narrow">
<h1>Er ging iets mis</h1>
<p>Er ging aan onze kant iets mis. Je gegevens zijn niet gewijzigd. Probeer het over een paar minuten opnieuw.</p>
<p><a href="/nl">Naar het privacybeleid</a></p>
<div lang="en"><h2>Something went wrong</h2>
<p>Something went wrong on our side. Your data has not been changed. Please try again in a few minutes.</p>
<p><a href="/en">Go to the privacy policy</a></p></div>
</main></body></html>"#;
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}
