//! Forged cross-site requests are refused before any handler runs; the portal's own pages and
//! links from other sites keep working.

mod common;

use common::{spawn, spawn_app};
use leptos::server_fn::axum::server_fn_paths;

fn server_functions() -> Vec<&'static str> {
    let paths: Vec<&'static str> = server_fn_paths().map(|(path, _)| path).collect();
    assert!(
        paths.contains(&"/api/public_facts"),
        "the registry lists our server functions: {paths:?}"
    );
    paths
}

#[tokio::test]
async fn asvs_v3_5_1_a_cross_site_post_to_every_server_function_is_refused_with_403() {
    let app = spawn_app().await;
    for path in server_functions() {
        let response = app
            .form_post(path)
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://evil.example")
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 403, "{path}");
        let body = response.text().await.expect("body");
        assert!(body.contains("Nothing was changed"), "{path}: {body}");
    }
}

#[tokio::test]
async fn asvs_v3_5_1_without_fetch_metadata_only_the_public_urls_origin_may_post() {
    let app = spawn()
        .set("public_url", "https://privacy.example.nl")
        .start()
        .await;
    let post = |origin: Option<&'static str>| {
        let mut request = app.form_post("/api/public_facts");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };
    assert_eq!(
        post(Some("https://privacy.example.nl"))
            .await
            .expect("answered")
            .status(),
        200
    );
    assert_eq!(
        post(Some("https://evil.example"))
            .await
            .expect("answered")
            .status(),
        403
    );
    assert_eq!(
        post(Some("http://privacy.example.nl"))
            .await
            .expect("answered")
            .status(),
        403
    );
    assert_eq!(
        post(None).await.expect("answered").status(),
        403,
        "silence is not trust"
    );
}

#[tokio::test]
async fn the_portals_own_pages_may_post_and_other_sites_may_still_link_to_it() {
    let app = spawn_app().await;
    let own = app
        .form_post("/api/public_facts")
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("answered");
    assert_eq!(own.status(), 200);

    let followed_link = app
        .client
        .get(format!("{}/nl", app.address))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("answered");
    assert_eq!(
        followed_link.status(),
        200,
        "a GET from another site is a link, not a forgery"
    );
}
