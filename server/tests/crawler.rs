//! The attack suite's crawler: every page the app routes (read from its source, so a new page
//! cannot be left out) and every server function that answers GET (from the server-function
//! registry), in both languages, signed out and as two customers, support and an admin. Every
//! answer must carry the security headers and `Cache-Control: no-store`, and no answer and no
//! log line may hold a canary: a password, a reset token, a session id, a password hash, the
//! provider's API key, the metrics token, or another customer's e-mail address.

mod common;

use common::{
    TestApp,
    browser::{
        Browser, PASSWORD, Via, mail_to, signed_in_admin, signed_in_customer, signed_in_staff,
    },
    logs, spawn,
};
use leptos::server_fn::axum::server_fn_paths;

const ANNA: &str = "anna@bakkerij-canary.example";
const BOB: &str = "bob@installatie-canary.example";
const PROVIDER_KEY: &str = "canary-provider-key-7f3e9a1c";
const METRICS_TOKEN: &str = "canary-metrics-token-4b8d2e6f";

/// The pages the app routes, as `/{lang}/…` with `:params` still in them.
fn page_paths() -> Vec<String> {
    let shell = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/shell.rs"),
    )
    .expect("the app's routes");
    let paths: Vec<String> = shell
        .split("<Route path=path!(\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default())
        .map(|path| {
            if path.is_empty() {
                String::new()
            } else {
                format!("/{path}")
            }
        })
        .collect();
    assert!(paths.len() >= 25, "the routes were read: {paths:?}");
    paths
}

/// What may not appear anywhere, and what only its owner may see.
struct Canaries {
    everywhere: Vec<(&'static str, String)>,
}

struct Visitor {
    name: &'static str,
    browser: Browser,
    /// Addresses this visitor may see (their own; staff see the customers whose requests they
    /// work).
    may_see: Vec<&'static str>,
}

fn check_headers(
    what: &str,
    response: &common::browser::Answer,
    headers: &reqwest::header::HeaderMap,
) {
    assert!(response.status < 500, "{what}: {}", response.status);
    for (name, wanted) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("cache-control", "no-store"),
    ] {
        let value = headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(value.contains(wanted), "{what}: {name} is {value:?}");
    }
    assert!(
        headers.contains_key("content-security-policy"),
        "{what}: a CSP"
    );
}

async fn get(
    app: &TestApp,
    browser: &mut Browser,
    path: &str,
) -> (common::browser::Answer, reqwest::header::HeaderMap) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(cookie) = &browser.cookie {
        request = request.header("cookie", format!("session={cookie}"));
    }
    let accept = if path.starts_with("/api/") {
        "application/json"
    } else {
        "text/html"
    };
    let response = request
        .header("accept", accept)
        .send()
        .await
        .expect("answered");
    let headers = response.headers().clone();
    let answer = common::browser::Answer {
        status: response.status().as_u16(),
        location: None,
        body: response.text().await.unwrap_or_default(),
    };
    (answer, headers)
}

#[tokio::test(flavor = "multi_thread")]
async fn asvs_v14_3_2_and_v3_4_every_page_and_server_function_for_every_role_is_uncached_with_security_headers_and_shows_no_canary()
 {
    let app = spawn()
        .set("provider_api.api_key", PROVIDER_KEY)
        .set("metrics.token", METRICS_TOKEN)
        .start()
        .await;
    let mut anna = signed_in_customer(&app, ANNA).await;
    let bob = signed_in_customer(&app, BOB).await;
    // Anna has a request (its id is what the id routes are visited with) and a reset link.
    let filed = anna
        .call(
            &app,
            "my_data/file_request",
            &[
                ("lang", "nl"),
                ("kind", "question"),
                ("details", "Welke gegevens hebben jullie?"),
                ("from", "requests"),
            ],
            Via::Script,
            "/nl/requests",
        )
        .await;
    assert_eq!(filed.status, 200, "{}", filed.body);
    let (mine, _) = get(&app, &mut anna, "/api/requests/mine").await;
    let mine: serde_json::Value = serde_json::from_str(&mine.body).expect("json");
    let request = mine[0]["id"].as_i64().expect("a request id");
    Browser::default()
        .call(
            &app,
            "account/forgot_password",
            &[("lang", "nl"), ("email", ANNA)],
            Via::Script,
            "/nl/forgot-password",
        )
        .await;
    let reset_token = mail_to(&app.outbox, ANNA).await.token();

    let support = signed_in_staff(
        &app,
        "support@cloud4companies.example",
        domain::Role::Support,
    )
    .await;
    let admin = signed_in_admin(&app, "beheer@cloud4companies.example").await;
    let store = store::connect(app.db.url()).await.expect("store");
    let mut everywhere = vec![
        ("the password", PASSWORD.to_owned()),
        ("a password hash", "$argon2id$".to_owned()),
        ("a reset token", reset_token),
        ("the provider's key", PROVIDER_KEY.to_owned()),
        ("the metrics token", METRICS_TOKEN.to_owned()),
    ];
    for email in [ANNA, BOB] {
        let row = store
            .account_by_email_key(email)
            .await
            .expect("read")
            .expect("the account");
        everywhere.push(("a password hash", row.password_hash));
    }
    let mut visitors = vec![
        Visitor {
            name: "anonymous",
            browser: Browser::default(),
            may_see: vec![],
        },
        Visitor {
            name: "customer A",
            browser: anna,
            may_see: vec![ANNA],
        },
        Visitor {
            name: "customer B",
            browser: bob,
            may_see: vec![BOB],
        },
        Visitor {
            name: "support",
            browser: support,
            may_see: vec![ANNA],
        },
        Visitor {
            name: "admin",
            browser: admin,
            may_see: vec![ANNA, BOB],
        },
    ];
    for visitor in &visitors {
        if let Some(cookie) = &visitor.browser.cookie {
            everywhere.push(("a session id", cookie.clone()));
        }
    }
    let canaries = Canaries { everywhere };

    let mut paths = Vec::new();
    for lang in ["nl", "en"] {
        for page in page_paths() {
            let page = page
                .replace(":id", &request.to_string())
                .replace(":token", "not-a-real-status-token");
            paths.push(format!("/{lang}{page}"));
        }
    }
    for (path, method) in server_fn_paths() {
        if method == http::Method::GET {
            paths.push(format!("{path}?lang=nl&id={request}"));
        }
    }

    let mut visited = 0;
    for visitor in &mut visitors {
        for path in &paths {
            let what = format!("{} GET {path}", visitor.name);
            let (answer, headers) = get(&app, &mut visitor.browser, path).await;
            check_headers(&what, &answer, &headers);
            for (name, canary) in &canaries.everywhere {
                assert!(
                    !answer.body.contains(canary.as_str()),
                    "{what} shows {name}"
                );
            }
            for email in [ANNA, BOB] {
                if !visitor.may_see.contains(&email) {
                    assert!(
                        !answer.body.contains(email),
                        "{what} shows {email}, not theirs to see"
                    );
                }
            }
            visited += 1;
        }
    }
    assert!(visited >= 5 * 60, "{visited} answers checked");

    let logs = logs();
    for (name, canary) in &canaries.everywhere {
        assert!(!logs.contains(canary.as_str()), "a log line holds {name}");
    }
    store.close().await;
}

async fn status_of(request: reqwest::RequestBuilder) -> u16 {
    request.send().await.expect("answered").status().as_u16()
}

#[tokio::test]
async fn malformed_arguments_invalid_utf8_and_huge_fields_get_a_clear_4xx_and_store_nothing() {
    let app = spawn().start().await;
    let post = |path: &str| {
        app.form_post(path)
            .header("sec-fetch-site", "same-origin")
            .header("accept", "application/json")
    };
    // A server function called without its arguments, or with arguments that do not parse.
    let missing = app.get("/api/deletion_status").await;
    assert_eq!(missing.status(), 400);
    assert!(missing.text().await.expect("a body").contains("BadRequest"));
    assert_eq!(
        status_of(post("/api/account/register").body("lang=nl")).await,
        400
    );
    assert_eq!(
        status_of(
            app.client
                .get(format!("{}/api/requests/one?id=not-a-number", app.address))
        )
        .await,
        400
    );
    // Bytes that are not UTF-8.
    assert_eq!(
        status_of(post("/api/account/register").body(vec![0xff, 0xfe, b'=', 0xc3, 0x28])).await,
        400
    );
    // A huge field within the body limit: the field's own message, nothing stored.
    let huge = format!("{}@example.nl", "a".repeat(60_000));
    let answer = post("/api/account/register")
        .body(common::browser::encode(&[
            ("lang", "nl"),
            ("email", &huge),
            ("password", "Zeilboot-Lantaarn-Heide-93"),
        ]))
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status(), 422);
    assert!(answer.text().await.expect("a body").contains("email"));
    // Over the limit: refused before anything reads it.
    let over = format!("lang=nl&email={}", "a".repeat(70_000));
    assert_eq!(
        status_of(post("/api/account/register").body(over)).await,
        413
    );

    let dump = store::testing::dump(app.db.url()).await.expect("a dump");
    assert!(dump["accounts"].is_empty(), "no account was made");
    assert!(dump["mail_outbox"].is_empty(), "no mail was queued");
}

/// The server functions a visitor may call before signing in; every other one needs a session.
const PUBLIC: &[&str] = &[
    "/api/public_facts",
    "/api/account/me",
    "/api/account/register",
    "/api/account/known_address",
    "/api/account/resend_confirmation",
    "/api/account/sign_in",
    "/api/account/sign_out",
    "/api/account/forgot_password",
    "/api/account/reset_password",
    "/api/cookies/choose",
    "/api/cookies/statement",
    "/api/deletion_status",
];

#[tokio::test]
async fn asvs_v8_2_1_every_server_function_but_the_public_ones_refuses_an_anonymous_caller_with_401()
 {
    let app = spawn().start().await;
    let registry: Vec<(&str, http::Method)> = server_fn_paths().collect();
    for public in PUBLIC {
        assert!(
            registry.iter().any(|(path, _)| path == public),
            "{public} is a server function"
        );
    }
    // Every argument any server function requires, so that each one gets as far as asking
    // who is calling (a missing argument would be refused with 400 before that).
    let arguments = "lang=nl&id=1&job=1&code=123456&current=x&email=nobody%40example.nl\
        &field=city&next=%2Fnl&object=true&password=x&record_id=x&role=support&token=x\
        &version=1&answer=accept";
    for (path, method) in &registry {
        let request = if *method == http::Method::GET {
            app.client.get(format!("{}{path}?{arguments}", app.address))
        } else {
            app.form_post(path)
                .header("sec-fetch-site", "same-origin")
                .body(arguments)
        };
        let status = status_of(request.header("accept", "application/json")).await;
        if PUBLIC.contains(path) {
            assert!(status != 401 && status < 500, "{method} {path}: {status}");
        } else {
            assert_eq!(status, 401, "{method} {path} without a session");
        }
    }
    assert!(registry.len() >= 50, "{} server functions", registry.len());
}
