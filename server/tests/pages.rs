//! The policy pages as the server renders them (no browser): language, text, structure, 404s.

mod common;

use common::{select, spawn, spawn_app, text, words};
use scraper::{ElementRef, Node};

/// Elements that run within a line of text: no word boundary around them.
const INLINE: [&str; 5] = ["a", "time", "span", "em", "strong"];

/// The text of an element, leaving out what the portal adds around the client's words.
fn client_text(element: ElementRef<'_>) -> String {
    fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
        for child in node.children() {
            match child.value() {
                Node::Text(text) => out.push_str(text),
                Node::Element(element) if element.attr("data-addition").is_some() => {}
                Node::Element(element) if INLINE.contains(&element.name()) => walk(child, out),
                Node::Element(_) => {
                    out.push(' ');
                    walk(child, out);
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(*element, &mut out);
    words(&out)
}

#[tokio::test]
async fn the_root_sends_each_visitor_to_the_policy_in_the_language_they_prefer() {
    let app = spawn_app().await;
    for (accept, target) in [
        (None, "/nl"),
        (Some("nl-NL,nl;q=0.9,en;q=0.8"), "/nl"),
        (Some("en-GB,en;q=0.9"), "/en"),
        (Some("de-DE,de;q=0.9,en;q=0.5"), "/en"),
        (Some("fr-FR"), "/nl"),
    ] {
        let response = app.get_in("/", accept).await;
        assert_eq!(response.status(), 303, "{accept:?}");
        assert_eq!(response.headers()["location"], target, "{accept:?}");
        assert!(
            response
                .headers()
                .get_all("vary")
                .iter()
                .any(|v| v == "accept-language"),
            "caches must key on Accept-Language"
        );
    }
}

#[tokio::test]
async fn the_dutch_policy_page_shows_the_clients_text_word_for_word() {
    let app = spawn_app().await;
    let html = app.html("/nl").await;
    let article = select(&html, "article.policy")
        .into_iter()
        .next()
        .expect("the policy article");

    let published = include_str!("../../app/content/privacy-policy.nl.txt");
    assert_eq!(client_text(article), words(published));

    assert_eq!(select(&html, "html")[0].attr("lang"), Some("nl"));
    assert_eq!(text(select(&html, "h1")[0]), "Privacybeleid & Security");
}

#[tokio::test]
async fn the_policy_has_a_table_of_contents_whose_links_reach_its_headings() {
    let app = spawn_app().await;
    let html = app.html("/nl").await;
    let links = select(&html, "nav.toc a");
    assert!(links.len() >= 13, "every section is listed");
    for link in links {
        let target = link.attr("href").expect("href").trim_start_matches('#');
        assert_eq!(
            select(&html, &format!("[id='{target}']")).len(),
            1,
            "#{target} exists once"
        );
    }
}

#[tokio::test]
async fn the_rights_table_and_the_retention_matrix_are_html_tables() {
    let app = spawn_app().await;
    let html = app.html("/nl").await;
    let head: Vec<String> = select(&html, "table.rights thead th")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(head, ["Het recht", "Onze actie", "Hoe?"]);
    assert_eq!(select(&html, "table.rights tbody tr").len(), 6);

    let rows = select(&html, "table.retention tbody tr");
    let config = server::Config::load(None).expect("defaults");
    assert_eq!(rows.len(), config.facts.retention.len(), "one row per rule");
    let logs = text(select(&html, "#bewaartermijn-technical-logs")[0]);
    assert!(logs.contains("14 dagen na vastlegging"), "{logs}");
    assert!(
        logs.contains("Gerechtvaardigd belang (art. 6 lid 1 sub f AVG)"),
        "{logs}"
    );
}

#[tokio::test]
async fn the_contact_address_and_the_matrix_come_from_configuration() {
    let app = spawn()
        .set("privacy_contact", "dpo@example.nl")
        .set("organisation", serde_json_like_org("Voorbeeld BV"))
        .start()
        .await;
    let body = app.get("/nl").await.text().await.expect("body");
    assert_eq!(
        body.matches("mailto:dpo@example.nl").count(),
        3,
        "twice in the text, once in the footer"
    );
    assert!(!body.contains("privacy@Cloud4Companies.nl"));
    assert!(body.contains("Voorbeeld BV"));
}

fn serde_json_like_org(name: &str) -> std::collections::BTreeMap<&'static str, String> {
    [("name", name.to_owned())].into_iter().collect()
}

#[tokio::test]
async fn the_english_page_declares_its_language_and_says_it_is_a_translation() {
    let app = spawn_app().await;
    let html = app.html("/en").await;
    assert_eq!(select(&html, "html")[0].attr("lang"), Some("en"));
    assert_eq!(text(select(&html, "h1")[0]), "Privacy Policy & Security");
    let notice = text(select(&html, ".policy-header aside.notice")[0]);
    assert!(
        notice.contains("translation") && notice.contains("Dutch text applies"),
        "{notice}"
    );
    let original = select(&html, ".policy-header aside.notice a")[0];
    assert_eq!(original.attr("href"), Some("/nl"));
}

#[tokio::test]
async fn each_page_links_to_itself_in_the_other_language() {
    let app = spawn_app().await;
    let html = app.html("/nl").await;
    let links = select(&html, ".lang-switch a");
    assert_eq!(links.len(), 1, "the current language is not a link");
    assert_eq!(links[0].attr("href"), Some("/en"));
    assert_eq!(links[0].attr("hreflang"), Some("en"));
}

#[tokio::test]
async fn a_trailing_slash_redirects_to_the_one_canonical_address() {
    let app = spawn_app().await;
    let response = app.get("/nl/?x=1").await;
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers()["location"], "/nl?x=1");
    let response = app.get("//evil.example/").await;
    assert_ne!(
        response.headers().get("location").map(|l| l.as_bytes()),
        Some(&b"//evil.example"[..])
    );
}

#[tokio::test]
async fn unknown_addresses_get_a_404_page_in_the_visitors_language() {
    let app = spawn_app().await;
    for (path, accept, lang, title) in [
        ("/nl/bestaat-niet", Some("en"), "nl", "Pagina niet gevonden"),
        ("/en/missing", None, "en", "Page not found"),
        ("/no-such-page", Some("en-US,en"), "en", "Page not found"),
        ("/no-such-page", Some("nl"), "nl", "Pagina niet gevonden"),
        ("/xx", None, "nl", "Pagina niet gevonden"),
    ] {
        let response = app.get_in(path, accept).await;
        assert_eq!(response.status(), 404, "{path}");
        let html = scraper::Html::parse_document(&response.text().await.expect("body"));
        assert_eq!(select(&html, "html")[0].attr("lang"), Some(lang), "{path}");
        assert_eq!(text(select(&html, "h1")[0]), title, "{path}");
    }
}

#[tokio::test]
async fn only_responses_chosen_by_language_vary_on_accept_language() {
    let app = spawn_app().await;
    let varies = |response: &reqwest::Response| {
        response
            .headers()
            .get_all("vary")
            .iter()
            .any(|v| v == "accept-language")
    };
    assert!(
        varies(&app.get("/no-such-page").await),
        "a 404 page in the visitor's language"
    );
    assert!(
        !varies(&app.get("/favicon.ico").await),
        "a static file is the same for everyone"
    );
    assert!(!varies(&app.get("/healthz").await));
    assert!(
        !varies(&app.get("/nl").await),
        "the path names the language"
    );
}

#[tokio::test]
async fn health_says_up_and_readiness_checks_the_database() {
    let app = spawn_app().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.expect("body"), "ok\n");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn on_postgresql_the_portal_serves_the_policy_and_is_unready_once_its_database_is_gone() {
    let db = store::testing::TestDatabase::postgres().await;
    let admin = std::env::var(store::testing::POSTGRES_ENV).expect("TEST_POSTGRES_URL");
    let name = db
        .url()
        .expose()
        .rsplit('/')
        .next()
        .expect("a database name")
        .to_owned();
    let app = spawn().on(db).start().await;

    assert_eq!(app.get("/nl").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);

    let pool = sqlx::PgPool::connect(&admin)
        .await
        .expect("admin connection");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&pool)
    .await
    .expect("drop the database under the running portal");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 503);
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the process itself is still up"
    );
}

#[tokio::test]
async fn the_policy_leads_from_jij_beslist_and_the_rights_table_to_signing_in_and_registering() {
    let app = spawn_app().await;
    for lang in ["nl", "en"] {
        let html = app.html(&format!("/{lang}")).await;
        for (offer, after) in [
            ("#do-it-yourself", "the first section"),
            ("#use-your-rights", "the rights table"),
        ] {
            let links: Vec<String> = select(&html, &format!("main {offer} a"))
                .iter()
                .filter_map(|a| a.value().attr("href").map(str::to_owned))
                .collect();
            assert_eq!(
                links,
                [format!("/{lang}/sign-in"), format!("/{lang}/register")],
                "{lang}: after {after}"
            );
        }
        // The way in comes right after the section that promises the rights.
        let first_section = select(&html, ".policy h2")[0];
        let next: Vec<_> = first_section
            .next_siblings()
            .filter_map(ElementRef::wrap)
            .take(2)
            .map(|e| e.value().id().unwrap_or(e.value().name()).to_owned())
            .collect();
        assert_eq!(
            next.get(1).map(String::as_str),
            Some("do-it-yourself"),
            "{lang}: {next:?}"
        );
        // The header offers both too, to anyone signed out.
        let nav: Vec<String> = select(&html, "header nav[aria-label] a")
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect();
        for wanted in [format!("/{lang}/sign-in"), format!("/{lang}/register")] {
            assert!(nav.contains(&wanted), "{lang}: {nav:?}");
        }
    }
}
