//! Running the portal as a service: `/metrics` for the configured networks or a token, the
//! client's address believed from trusted proxies only, request ids in the logs, and log lines
//! without e-mail addresses.

mod common;

use axum::{Router, routing::get};
use common::{browser::signed_in_customer, logs, spawn};

async fn metrics(app: &common::TestApp, token: Option<&str>, forwarded: Option<&str>) -> u16 {
    let mut request = app.client.get(format!("{}/metrics", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    request.send().await.expect("answered").status().as_u16()
}

async fn fail() -> &'static str {
    panic!("a handler fails")
}

const TOKEN: &str = "metrics-token-for-the-tests-0123456789";

#[tokio::test]
async fn metrics_are_refused_without_the_token_and_readable_with_it() {
    let app = spawn()
        .set("metrics.allow", Vec::<String>::new())
        .set("metrics.token", TOKEN)
        .start()
        .await;
    assert_eq!(metrics(&app, None, None).await, 403, "no token");
    assert_eq!(
        metrics(&app, Some("metrics-token-for-the-tests-0123456788"), None).await,
        403,
        "a wrong token"
    );
    // A page first, so the request counter has something to say.
    assert_eq!(app.get("/nl").await.status(), 200);
    let response = app
        .client
        .get(format!("{}/metrics", app.address))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "no-store",
        "figures are not cached"
    );
    let body = response.text().await.expect("a body");
    for series in [
        "portal_http_requests_total{method=\"GET\",status=\"200\"}",
        "portal_http_request_duration_seconds_bucket",
        "portal_jobs_queued ",
        "portal_jobs_parked ",
        "portal_requests_overdue ",
        "portal_mail_waiting ",
    ] {
        assert!(body.contains(series), "{series} in:\n{body}");
    }
}

#[tokio::test]
async fn metrics_are_refused_from_addresses_outside_the_allowed_networks() {
    let elsewhere = spawn()
        .set("metrics.allow", vec!["192.0.2.0/24"])
        .start()
        .await;
    assert_eq!(metrics(&elsewhere, None, None).await, 403);
    let here = spawn()
        .set("metrics.allow", vec!["127.0.0.1/32"])
        .start()
        .await;
    assert_eq!(metrics(&here, None, None).await, 200);
}

#[tokio::test]
async fn x_forwarded_for_counts_only_when_a_trusted_proxy_sends_it() {
    // The allowed client is 192.0.2.7; the test connects from 127.0.0.1 and claims to be it.
    let untrusted = spawn()
        .set("metrics.allow", vec!["192.0.2.7/32"])
        .start()
        .await;
    assert_eq!(metrics(&untrusted, None, Some("192.0.2.7")).await, 403);
    let behind_proxy = spawn()
        .set("metrics.allow", vec!["192.0.2.7/32"])
        .set("trusted_proxies", vec!["127.0.0.1/32"])
        .start()
        .await;
    assert_eq!(metrics(&behind_proxy, None, Some("192.0.2.7")).await, 200);
    assert_eq!(
        metrics(&behind_proxy, None, Some("192.0.2.7, 198.51.100.9")).await,
        403,
        "the hop the proxy saw counts, not one the client wrote before it"
    );
}

#[tokio::test]
async fn a_failed_request_logs_its_request_id_which_the_answer_names_and_a_clients_id_is_not_used()
{
    let app = spawn()
        .route(Router::new().route("/test/fail", get(fail)))
        .start()
        .await;
    let response = app
        .client
        .get(format!(
            "{}/test/fail?token=secret-in-the-query",
            app.address
        ))
        .header("x-request-id", "chosen-by-the-client")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 500);
    let id = response.headers()["x-request-id"]
        .to_str()
        .expect("text")
        .to_owned();
    assert_ne!(id, "chosen-by-the-client");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let logs = logs();
    let failure = logs
        .lines()
        .filter(|line| line.contains(&id))
        .find(|line| line.contains("\"level\":\"ERROR\""));
    assert!(
        failure.is_some(),
        "an error line with the request id {id} in:\n{logs}"
    );
    assert!(
        !logs.contains("secret-in-the-query"),
        "query strings (where links carry tokens) are never logged"
    );
    assert!(!logs.contains("chosen-by-the-client"));
}

#[tokio::test]
async fn signing_up_and_in_writes_log_lines_but_none_with_an_e_mail_address() {
    let app = spawn().start().await;
    let mut customer = signed_in_customer(&app, "jan.jansen@bakkerij-jansen.example").await;
    assert_eq!(
        customer.me(&app).await.as_deref(),
        Some("jan.jansen@bakkerij-jansen.example")
    );
    let logs = logs();
    assert!(
        logs.lines().any(|line| line.contains("registration")),
        "the registration was logged:\n{logs}"
    );
    assert_eq!(common::line_with_an_address(&logs), None);
    // And the check itself can fail: it finds an address when there is one.
    assert!(common::line_with_an_address("{\"to\":\"jan@bakkerij-jansen.example\"}").is_some());
}

#[tokio::test]
async fn with_a_certificate_and_key_configured_the_portal_serves_https_itself() {
    let dir = tempfile::tempdir().expect("a folder");
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("a cert");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).expect("cert written");
    std::fs::write(&key, made.signing_key.serialize_pem()).expect("key written");
    let app = spawn()
        .set("public_url", "https://localhost")
        .set("tls.cert", &cert)
        .set("tls.key", &key)
        .start()
        .await;
    let port = app.address.rsplit(':').next().expect("a port");
    let client = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(made.cert.pem().as_bytes()).expect("a certificate"),
        )
        .resolve(
            "localhost",
            format!("127.0.0.1:{port}").parse().expect("an address"),
        )
        .build()
        .expect("a client");
    let response = client
        .get(format!("https://localhost:{port}/nl"))
        .send()
        .await
        .expect("answered over TLS");
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().contains_key("strict-transport-security"),
        "HSTS over https"
    );
    // Plain HTTP on the same port gets no page.
    let plain = app.client.get(format!("{}/nl", app.address)).send().await;
    assert!(plain.map_or(true, |r| r.status() != 200));
}

async fn slow() -> &'static str {
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    "finished"
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shutdown_finishes_the_requests_in_flight_and_takes_no_new_ones() {
    let mut app = spawn()
        .route(Router::new().route("/test/slow", get(slow)))
        .start()
        .await;
    let in_flight = {
        let request = app.client.get(format!("{}/test/slow", app.address));
        tokio::spawn(async move { request.send().await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    app.shut_down().await;
    let answer = in_flight
        .await
        .expect("the request task")
        .expect("the request in flight was answered");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.expect("a body"), "finished");
    let after = reqwest::Client::new()
        .get(format!("{}/nl", app.address))
        .send()
        .await;
    assert!(after.is_err(), "nothing listens after the shutdown");
}

/// Closes (or opens again) the test database to new connections, and ends the open ones: the
/// database server as seen during a restart or a fail-over.
async fn database_reachable(db: &store::testing::TestDatabase, reachable: bool) {
    use sqlx::Connection;
    let admin_url = std::env::var(store::testing::POSTGRES_ENV).expect("a PostgreSQL server");
    let name = db
        .url()
        .expose()
        .rsplit('/')
        .next()
        .expect("a name")
        .to_owned();
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("admin");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE {name} WITH ALLOW_CONNECTIONS {reachable}"
    )))
    .execute(&mut admin)
    .await
    .expect("altered");
    if !reachable {
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
            .bind(&name)
            .execute(&mut admin)
            .await
            .expect("connections ended");
    }
    let _ = admin.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn while_the_database_is_away_requests_fail_cleanly_and_afterwards_the_same_process_serves_again()
 {
    let db = store::testing::TestDatabase::postgres().await;
    let app = spawn().on(db).start().await;
    let mut jan = signed_in_customer(&app, "jan@bakkerij-jansen.example").await;
    assert_eq!(jan.get(&app, "/nl/my-data").await.status, 200);

    database_reachable(&app.db, false).await;
    let started = std::time::Instant::now();
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 503);
    let page = jan.get(&app, "/nl/my-data").await;
    assert_eq!(page.status, 503, "no page without the database");
    assert!(
        page.body.contains("Er ging aan onze kant iets mis"),
        "it says so (not \"sign in\"): {}",
        page.body
    );
    for detail in [
        "sqlx",
        "terminat",
        "connection",
        "ALLOW_CONNECTIONS",
        "portal_test_",
    ] {
        assert!(
            !page.body.contains(detail),
            "the error page names no internals ({detail}): {}",
            page.body
        );
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(12),
        "failures come quickly, not after a hang: {:?}",
        started.elapsed()
    );

    database_reachable(&app.db, true).await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    let again = jan.get(&app, "/nl/my-data").await;
    assert_eq!(again.status, 200, "the same session, the same process");
    assert!(again.body.contains("jan@bakkerij-jansen.example"));
    app.db.remove().await.expect("cleanup");
}
