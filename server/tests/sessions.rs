//! Sessions as the browser sees them: no cookie until there is something to remember, cookie
//! attributes, server-side state, a new id on demand, and nothing left after sign-out.

mod common;

use axum::{Router, routing};
use common::{TestApp, spawn, spawn_app};
use tower_sessions::Session;

/// Routes that use the session the way sign-in and sign-out will.
fn session_routes() -> Router<server::AppState> {
    Router::new()
        .route(
            "/test/session/write",
            routing::post(|session: Session| async move {
                session.insert("account_id", "acc_1").await.expect("insert");
                "written"
            }),
        )
        .route(
            "/test/session/read",
            routing::post(|session: Session| async move {
                session
                    .get::<String>("account_id")
                    .await
                    .expect("get")
                    .unwrap_or_default()
            }),
        )
        .route(
            "/test/session/cycle",
            routing::post(|session: Session| async move {
                session.cycle_id().await.expect("cycle");
                "cycled"
            }),
        )
        .route(
            "/test/session/end",
            routing::post(|session: Session| async move {
                // Sign-out: clear, delete server-side, and drop the cookie.
                session.flush().await.expect("flush");
                "ended"
            }),
        )
}

/// POSTs as the portal's own page would, with the given cookie; returns body and Set-Cookie.
async fn post(app: &TestApp, path: &str, cookie: Option<&str>) -> (String, Option<String>) {
    let mut request = app
        .client
        .post(format!("{}{path}", app.address))
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("answered");
    assert_eq!(response.status(), 200, "{path}");
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (response.text().await.expect("body"), set_cookie)
}

/// `name=value` from a Set-Cookie header.
fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().expect("a pair").to_owned()
}

#[tokio::test]
async fn an_anonymous_visit_sets_no_cookie_at_all() {
    let app = spawn_app().await;
    for path in ["/", "/nl", "/en", "/nl/nothing-here", "/healthz"] {
        let response = app.get(path).await;
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{path} set a cookie"
        );
    }
}

#[tokio::test]
async fn asvs_v3_3_1_v3_3_2_v3_3_4_over_https_the_session_cookie_is_host_prefixed_secure_http_only_and_lax()
 {
    let app = spawn()
        .set("public_url", "https://privacy.example.nl")
        .route(session_routes())
        .start()
        .await;
    let (_, set_cookie) = post(&app, "/test/session/write", None).await;
    let cookie = set_cookie.expect("a session cookie once there is something to remember");
    assert!(cookie.starts_with("__Host-session="), "{cookie}");
    for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(
        !cookie.to_lowercase().contains("domain="),
        "__Host- cookies carry no Domain"
    );
}

#[tokio::test]
async fn on_plain_http_the_cookie_has_a_plain_name_and_is_not_marked_secure() {
    let app = spawn().route(session_routes()).start().await;
    let (_, set_cookie) = post(&app, "/test/session/write", None).await;
    let cookie = set_cookie.expect("cookie");
    assert!(cookie.starts_with("session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && !cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn session_state_lives_on_the_server_and_the_cookie_carries_only_an_opaque_id() {
    let app = spawn().route(session_routes()).start().await;
    let (_, set_cookie) = post(&app, "/test/session/write", None).await;
    let cookie = pair(&set_cookie.expect("cookie"));
    assert!(!cookie.contains("acc_1"), "no data in the cookie: {cookie}");
    let (read, _) = post(&app, "/test/session/read", Some(&cookie)).await;
    assert_eq!(read, "acc_1");
}

#[tokio::test]
async fn cycling_the_session_id_issues_a_new_cookie_and_refuses_the_old_one() {
    let app = spawn().route(session_routes()).start().await;
    let (_, first) = post(&app, "/test/session/write", None).await;
    let old = pair(&first.expect("cookie"));
    let (_, second) = post(&app, "/test/session/cycle", Some(&old)).await;
    let new = pair(&second.expect("a new cookie"));
    assert_ne!(old, new);
    assert_eq!(
        post(&app, "/test/session/read", Some(&new)).await.0,
        "acc_1",
        "data moves along"
    );
    assert_eq!(
        post(&app, "/test/session/read", Some(&old)).await.0,
        "",
        "the old id is dead"
    );
}

#[tokio::test]
async fn ending_a_session_deletes_it_server_side_so_a_replayed_cookie_is_refused() {
    let app = spawn().route(session_routes()).start().await;
    let (_, set_cookie) = post(&app, "/test/session/write", None).await;
    let cookie = pair(&set_cookie.expect("cookie"));
    let (_, removal) = post(&app, "/test/session/end", Some(&cookie)).await;
    assert!(
        removal
            .expect("the cookie is removed")
            .contains("Max-Age=0")
    );
    assert_eq!(
        post(&app, "/test/session/read", Some(&cookie)).await.0,
        "",
        "replay refused"
    );
}
