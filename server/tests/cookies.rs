//! Cookie consent over HTTP: the registry guards every response, each choice is recorded as
//! proof, withdrawing expires cookies at once, GPC is honoured and recorded, a signed-in choice
//! follows the account, and page views are counted without anything that identifies a visitor.

mod common;

use axum::{Router, http::header, response::IntoResponse, routing::get};
use common::{
    browser::{Browser, PASSWORD, Via, sign_in, signed_in_admin, signed_in_customer},
    select, spawn, store_and_account,
};
use server::AppState;

const CONSENT: &str = "portal_consent";

/// The rows of `consent_records`, each as its columns joined by `|`.
async fn consent_rows(app: &common::TestApp) -> Vec<String> {
    store::testing::dump(app.db.url())
        .await
        .expect("a dump")
        .remove("consent_records")
        .unwrap_or_default()
}

/// A choice as the banner's or the settings page's form sends it.
async fn choose(
    app: &common::TestApp,
    browser: &mut Browser,
    fields: &[(&str, &str)],
    via: Via,
    page: &str,
) -> common::browser::Answer {
    let mut all = vec![("lang", "nl")];
    all.extend_from_slice(fields);
    browser.call(app, "cookies/choose", &all, via, page).await
}

/// The banner's "Accept all", as a plain form on the Dutch policy page.
async fn accept_all(app: &common::TestApp, browser: &mut Browser) {
    let answer = choose(
        app,
        browser,
        &[("answer", "accept"), ("method", "banner")],
        Via::Form,
        "/nl",
    )
    .await;
    assert!((300..400).contains(&answer.status), "{}", answer.status);
}

/// Whether the page shows the banner that asks for a choice.
fn shows_banner(body: &str) -> bool {
    let html = scraper::Html::parse_document(body);
    !select(&html, "#cookie-banner").is_empty()
}

#[tokio::test]
async fn every_choice_is_recorded_with_the_statement_version_and_how_it_was_made() {
    let app = spawn().start().await;
    let mut visitor = Browser::default();

    let first = visitor.get(&app, "/nl").await;
    assert!(shows_banner(&first.body), "a first visit is asked");
    assert!(
        !visitor.jar.contains_key(CONSENT),
        "nothing stored before a choice"
    );
    assert!(consent_rows(&app).await.is_empty());

    // The banner's "Reject all", as a plain form: back to the page, asked no more.
    let rejected = choose(
        &app,
        &mut visitor,
        &[("answer", "reject"), ("method", "banner")],
        Via::Form,
        "/nl",
    )
    .await;
    assert!((300..400).contains(&rejected.status), "{}", rejected.status);
    let device = visitor
        .jar
        .get(CONSENT)
        .cloned()
        .expect("the choice is remembered");
    assert!(device.ends_with(".0000.2026-12-04"), "{device}");
    assert!(!shows_banner(&visitor.get(&app, "/nl").await.body));

    // The settings page: analytical only, with JavaScript.
    let saved = choose(
        &app,
        &mut visitor,
        &[
            ("answer", "save"),
            ("method", "settings"),
            ("analytical", "on"),
        ],
        Via::Script,
        "/nl/cookies",
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let view: serde_json::Value = serde_json::from_str(&saved.body).expect("json");
    assert_eq!(view["choice"]["analytical"], true);
    assert_eq!(view["choice"]["functional"], false);

    let rows = consent_rows(&app).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    let id = device.split('.').next().expect("an id");
    // consent_id|account|functional|analytical|commercial|version|method|gpc|at, after the id.
    let fields = |row: &str| {
        row.split('|')
            .skip(1)
            .take(8)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let expect = |f: &str, a: &str, c: &str, method: &str| {
        vec![id, "", f, a, c, "2026-12-04", method, "0"]
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let normalise = |v: Vec<String>| {
        v.into_iter()
            .map(|f| match f.as_str() {
                "true" => "1".to_owned(),
                "false" => "0".to_owned(),
                _ => f,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(normalise(fields(&rows[0])), expect("0", "0", "0", "banner"));
    assert_eq!(
        normalise(fields(&rows[1])),
        expect("0", "1", "0", "settings")
    );
}

#[tokio::test]
async fn a_first_visit_with_gpc_is_recorded_as_a_gpc_choice_and_the_page_says_it_was_honoured() {
    let app = spawn().start().await;
    let mut visitor = Browser {
        gpc: true,
        ..Browser::default()
    };
    let page = visitor.get(&app, "/nl").await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(
        select(&html, "#gpc-notice").len(),
        1,
        "the signal was honoured"
    );
    assert!(
        select(&html, "#cookie-banner").is_empty(),
        "no question asked"
    );
    let rows = consent_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains("|gpc|"), "{}", rows[0]);
    let cookie = visitor.jar.get(CONSENT).expect("remembered");
    assert!(
        cookie.contains(".0001."),
        "nothing allowed, under GPC: {cookie}"
    );

    // Later pages neither ask nor record again.
    let again = visitor.get(&app, "/nl/cookies").await;
    assert!(!again.body.contains("id=\"gpc-notice\""));
    assert_eq!(consent_rows(&app).await.len(), 1);
}

#[tokio::test]
async fn an_earlier_opt_in_meeting_a_new_gpc_signal_is_asked_about_and_the_signal_holds_meanwhile()
{
    let app = spawn().start().await;
    let mut visitor = Browser::default();
    accept_all(&app, &mut visitor).await;
    visitor.get(&app, "/nl").await;
    assert!(
        visitor.jar.contains_key("portal_visit"),
        "analytical allowed"
    );

    visitor.gpc = true;
    let page = visitor.get(&app, "/nl").await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(select(&html, "#cookies-follow-gpc").len(), 1, "asked");
    assert!(
        !visitor.jar.contains_key("portal_visit"),
        "the signal holds until the answer: the analytical cookie is expired"
    );

    let followed = choose(
        &app,
        &mut visitor,
        &[("answer", "follow-gpc"), ("method", "banner")],
        Via::Form,
        "/nl",
    )
    .await;
    assert!((300..400).contains(&followed.status));
    let rows = consent_rows(&app).await;
    assert!(rows.last().is_some_and(|r| r.contains("|gpc|")), "{rows:?}");
    assert!(!shows_banner(&visitor.get(&app, "/nl").await.body));
}

#[tokio::test]
async fn a_choice_that_is_not_offered_gets_a_clear_answer_and_records_nothing() {
    let app = spawn().start().await;
    let mut visitor = Browser::default();
    for fields in [
        vec![("answer", "everything"), ("method", "banner")],
        vec![("answer", "save"), ("method", "popup")],
        vec![
            ("answer", "save"),
            ("method", "settings"),
            ("analytical", "maybe"),
        ],
        vec![("answer", "keep"), ("method", "banner")],
    ] {
        let answer = choose(&app, &mut visitor, &fields, Via::Script, "/nl").await;
        assert_eq!(answer.status, 422, "{fields:?}");
        assert!(answer.body.contains("ChoiceInvalid"), "{}", answer.body);
    }
    assert!(consent_rows(&app).await.is_empty());
    assert!(!visitor.jar.contains_key(CONSENT));
}

/// A route that tries to set cookies the registry does not allow (or the visitor did not).
fn rogue_routes() -> Router<AppState> {
    Router::new().route(
        "/nl/rogue",
        get(|| async {
            (
                [
                    (header::SET_COOKIE, "tracker=abc; Path=/"),
                    (header::SET_COOKIE, "portal_visit=2026-11-24; Path=/"),
                    (header::CONTENT_TYPE, "text/plain"),
                ],
                "rogue",
            )
                .into_response()
        }),
    )
}

#[tokio::test]
async fn the_server_refuses_to_set_a_cookie_that_is_not_in_the_registry_or_not_allowed() {
    let app = spawn().route(rogue_routes()).start().await;
    let mut visitor = Browser::default();
    let answer = visitor.get(&app, "/nl/rogue").await;
    assert_eq!(answer.status, 200);
    assert!(visitor.jar.is_empty(), "neither cookie: {:?}", visitor.jar);

    accept_all(&app, &mut visitor).await;
    visitor.get(&app, "/nl/rogue").await;
    assert!(visitor.jar.contains_key("portal_visit"), "allowed now");
    assert!(
        !visitor.jar.contains_key("tracker"),
        "never: not in the registry"
    );
}

#[tokio::test]
async fn withdrawing_a_category_expires_its_cookies_in_the_same_response() {
    let app = spawn().start().await;
    let mut visitor = Browser::default();
    accept_all(&app, &mut visitor).await;
    visitor.get(&app, "/en").await;
    assert!(visitor.jar.contains_key("portal_visit"));
    assert_eq!(
        visitor.jar.get("portal_lang").map(String::as_str),
        Some("en")
    );

    let saved = choose(
        &app,
        &mut visitor,
        &[
            ("answer", "save"),
            ("method", "settings"),
            ("functional", "on"),
        ],
        Via::Form,
        "/nl/cookies",
    )
    .await;
    assert_eq!(
        saved.location.as_deref(),
        Some("/nl/cookies?notice=cookies-saved")
    );
    assert!(!visitor.jar.contains_key("portal_visit"), "expired at once");
    assert!(visitor.jar.contains_key("portal_lang"), "still allowed");

    // The remembered language chooses where the bare address leads.
    let root = visitor.get(&app, "/").await;
    assert_eq!(root.location.as_deref(), Some("/en"));
}

#[tokio::test]
async fn a_choice_made_signed_in_follows_the_account_to_another_device() {
    let app = spawn().start().await;
    let email = "anna.devries@example.nl";
    let mut laptop = signed_in_customer(&app, email).await;
    choose(
        &app,
        &mut laptop,
        &[
            ("answer", "save"),
            ("method", "settings"),
            ("functional", "on"),
        ],
        Via::Script,
        "/nl/cookies",
    )
    .await;
    let (store, account) = store_and_account(&app, email).await;
    let records = store
        .consent_records(&account.id, store::records::Page::first(10))
        .await
        .expect("records");
    assert_eq!(records.len(), 1, "linked to the account");
    assert!(records[0].functional && !records[0].analytical);

    // Another device: signing in brings the choice along, and the banner does not ask.
    let mut phone = Browser::default();
    sign_in(&app, &mut phone, email, PASSWORD).await;
    let page = phone.get(&app, "/nl/my-data").await;
    assert!(!shows_banner(&page.body));
    let cookie = phone.jar.get(CONSENT).expect("adopted");
    assert!(cookie.contains(".1000."), "{cookie}");

    // The holder sees the history under "Mijn gegevens".
    let html = scraper::Html::parse_document(&page.body);
    let items = select(&html, "#consent-records dl[data-item^='consent-']");
    assert_eq!(items.len(), 1, "the consent history is listed");
    let text = common::text(items[0]);
    assert!(text.contains("bij cookie-instellingen"), "{text}");
    assert!(text.contains("2026-12-04"), "{text}");
}

#[tokio::test]
async fn gpc_json_is_served_at_the_well_known_address() {
    let app = spawn().start().await;
    let response = app.get("/.well-known/gpc.json").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE.as_str()],
        "application/json"
    );
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["gpc"], true);
    assert!(body["lastUpdate"].as_str().is_some_and(|d| d.len() == 10));
}

#[tokio::test]
async fn page_views_are_counted_per_route_without_tokens_and_without_a_cookie() {
    let app = spawn().start().await;
    let mut visitor = Browser::default();
    for path in [
        "/nl",
        "/nl",
        "/en/cookies",
        "/nl/account-deletion/secret-token-123",
    ] {
        visitor.get(&app, path).await;
    }
    assert!(
        visitor.jar.is_empty(),
        "no cookie for counting: {:?}",
        visitor.jar
    );
    let rows = loop_until_counted(&app, 3, 4).await;
    assert!(rows.iter().any(|r| r.contains("|/nl|2|0")), "{rows:?}");
    assert!(
        rows.iter().any(|r| r.contains("|/en/cookies|1|0")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("/nl/account-deletion/{token}|1|0")),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|r| r.contains("secret-token")), "{rows:?}");
}

/// The page-view rows once `pages` pages with `views` views are counted (counting happens beside
/// the answer).
async fn loop_until_counted(app: &common::TestApp, pages: usize, want: usize) -> Vec<String> {
    for _ in 0..100 {
        let rows = store::testing::dump(app.db.url())
            .await
            .expect("a dump")
            .remove("page_views")
            .unwrap_or_default();
        let views: usize = rows
            .iter()
            .filter_map(|r| r.split('|').nth(2)?.parse::<usize>().ok())
            .sum();
        if rows.len() >= pages && views >= want {
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the page views were not counted");
}

#[tokio::test]
async fn only_admins_see_the_page_views_and_they_hold_no_visitor_data() {
    let app = spawn().start().await;
    let mut anonymous = Browser::default();
    anonymous.get(&app, "/nl").await;
    loop_until_counted(&app, 1, 1).await;

    assert_eq!(
        anonymous.get(&app, "/api/admin/page_views").await.status,
        401
    );
    let mut customer = signed_in_customer(&app, "klant@example.nl").await;
    assert_eq!(
        customer.get(&app, "/api/admin/page_views").await.status,
        403
    );
    let mut admin = signed_in_admin(&app, "beheer@example.nl").await;
    let answer = admin.get(&app, "/api/admin/page_views").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let rows: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
    let first = rows.as_array().and_then(|r| r.first()).expect("a row");
    let mut keys: Vec<&str> = first
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["day", "path", "views", "visitors"]);
    let page = admin.get(&app, "/nl/admin/analytics").await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(select(&html, "#page-views tr[data-path='/nl']").len(), 1);
}

#[tokio::test]
async fn asvs_v3_3_1_v3_3_2_v3_3_4_over_https_every_portal_cookie_is_host_prefixed_secure_http_only_and_same_site()
 {
    let app = spawn()
        .set("public_url", "https://privacy.example.nl")
        .start()
        .await;
    let response = app
        .form_post("/api/cookies/choose")
        .header("sec-fetch-site", "same-origin")
        .header("origin", "https://privacy.example.nl")
        .header("accept", "application/json")
        .body("lang=nl&answer=accept&method=banner")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    let set: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    assert_eq!(set.len(), 1, "{set:?}");
    let cookie = &set[0];
    assert!(cookie.starts_with("__Host-portal_consent="), "{cookie}");
    for attribute in [
        "; Path=/",
        "; Secure",
        "; HttpOnly",
        "; SameSite=Lax",
        "; Max-Age=31536000",
    ] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
}
