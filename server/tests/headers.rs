//! Security headers on every kind of response, and errors that reveal nothing.

mod common;

use axum::{Router, routing::get};
use common::{spawn, spawn_app};

/// Pages, a server function, a static file, a 404 and a redirect.
async fn every_kind_of_response(app: &common::TestApp) -> Vec<(&'static str, reqwest::Response)> {
    let server_fn = app
        .form_post("/api/public_facts")
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("server function");
    assert_eq!(server_fn.status(), 200, "the server function answers");
    vec![
        ("page", app.get("/nl").await),
        ("server function", server_fn),
        ("static file", app.get("/favicon.ico").await),
        ("404 page", app.get("/nl/nothing-here").await),
        ("redirect", app.get("/").await),
        ("health", app.get("/healthz").await),
    ]
}

#[tokio::test]
async fn asvs_v3_4_4_every_response_says_nosniff() {
    let app = spawn_app().await;
    for (kind, response) in every_kind_of_response(&app).await {
        assert_eq!(
            response.headers()["x-content-type-options"],
            "nosniff",
            "{kind}"
        );
    }
}

#[tokio::test]
async fn asvs_v3_4_5_every_response_keeps_the_referrer_to_the_portal_itself() {
    // same-origin: other sites never learn the address a visitor came from; our own form posts
    // without JavaScript need it to return to their page.
    let app = spawn_app().await;
    for (kind, response) in every_kind_of_response(&app).await {
        assert_eq!(
            response.headers()["referrer-policy"],
            "same-origin",
            "{kind}"
        );
    }
}

#[tokio::test]
async fn asvs_v3_4_3_and_v3_4_6_every_response_has_a_csp_that_forbids_plugins_base_and_framing() {
    let app = spawn_app().await;
    for (kind, response) in every_kind_of_response(&app).await {
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .to_owned();
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{kind}: {csp}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{kind}: {csp}"
        );
    }
}

#[tokio::test]
async fn asvs_v3_4_3_pages_allow_only_their_own_nonced_scripts_and_wasm_and_the_nonce_is_fresh() {
    let app = spawn_app().await;
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let response = app.get("/nl").await;
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce in script-src")
            .to_owned();
        let body = response.text().await.expect("body");
        let scripts = body.matches("<script").count();
        assert!(scripts > 0);
        assert_eq!(
            body.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "every inline script carries this response's nonce"
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a new nonce for every response");
}

#[tokio::test]
async fn asvs_v3_4_1_hsts_is_sent_when_the_portal_is_served_over_https_and_only_then() {
    let plain = spawn_app().await;
    assert!(
        plain
            .get("/nl")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );

    let tls = spawn()
        .set("public_url", "https://privacy.example.nl")
        .start()
        .await;
    for (kind, response) in every_kind_of_response(&tls).await {
        let hsts = response.headers()["strict-transport-security"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let max_age: u64 = hsts
            .trim_start_matches("max-age=")
            .split(';')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a max-age");
        assert!(max_age >= 31_536_000, "{kind}: at least a year, got {hsts}");
    }
}

#[tokio::test]
async fn asvs_v16_5_1_a_failure_inside_a_handler_gives_an_opaque_500_page_with_the_same_headers() {
    let secret = "db password is hunter2 at /srv/portal";
    let app = spawn()
        .route(Router::new().route(
            "/boom",
            get(move || async move {
                panic!("{secret}");
                #[allow(unreachable_code)]
                ""
            }),
        ))
        .start()
        .await;
    let response = app.get("/boom").await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = response.text().await.expect("body");
    assert!(body.contains("Er ging iets mis") && body.contains("Something went wrong"));
    assert!(!body.contains("hunter2") && !body.contains("panicked") && !body.contains("/srv"));
}

#[tokio::test]
async fn a_request_body_over_the_limit_is_refused_before_any_handler_reads_it() {
    let app = spawn_app().await;
    let response = app
        .form_post("/api/public_facts")
        .header("sec-fetch-site", "same-origin")
        .body(vec![b'a'; 65 * 1024])
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 413);
}
