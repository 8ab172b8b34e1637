//! The stand-in as a peer over real HTTP: it needs its key, pages its data, applies each change
//! once per idempotency key, and misbehaves when told to.

use provider_sim::{Faults, RunningSim, SimConfig, spawn};
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

const KEY: &str = "test-key-0123456789";

async fn start(dir: &tempfile::TempDir) -> RunningSim {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let config = SimConfig {
        database_url: format!("sqlite://{}", dir.path().join("sim.db").display()),
        api_key: KEY.into(),
        faults: Faults::default(),
        seed_demo: true,
    };
    spawn(listener, &config).await.expect("the stand-in starts")
}

/// A call to the stand-in with its API key.
fn api(sim: &RunningSim, method: Method, path: &str) -> RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("{}{path}", sim.url()))
        .header("x-api-key", KEY)
}

/// Sends and reads the status and JSON body.
async fn send(request: RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_stand_in_needs_its_key_pages_data_and_applies_a_change_once_per_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = start(&dir).await;

    let without_key = reqwest::Client::new().get(format!("{}/v1/provider", sim.url()));
    assert_eq!(send(without_key).await.0, 401, "no key, no answer");

    let mut ids = Vec::new();
    let mut page: Option<String> = None;
    loop {
        let mut request = api(&sim, Method::GET, "/v1/subscribers/OO-100001/data");
        if let Some(page) = &page {
            request = request.query(&[("page", page)]);
        }
        let (status, body) = send(request).await;
        assert_eq!(status, 200);
        for record in body["records"].as_array().expect("records") {
            ids.push(record["id"].as_str().expect("id").to_owned());
        }
        match body["next_page"].as_str() {
            Some(next) => page = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(ids.len(), 8, "every record, over two pages");

    let change = json!({ "changes": [{ "record_id": "OO-100001-num-1", "field": "holder_name", "value": "Bakkerij S. de Vries" }] });
    for _ in 0..3 {
        let request = api(&sim, Method::PATCH, "/v1/subscribers/OO-100001/fields")
            .header("idempotency-key", "job-correct-000000000001")
            .json(&change);
        assert_eq!(send(request).await, (200, json!({ "applied": 1 })));
    }
    let (_, effects) = send(api(&sim, Method::GET, "/admin/effects")).await;
    assert_eq!(
        effects,
        json!({ "job-correct-000000000001": 1 }),
        "applied once for three calls"
    );
    let (_, replays) = send(api(&sim, Method::GET, "/admin/replays")).await;
    assert_eq!(
        replays,
        json!({ "job-correct-000000000001": 2 }),
        "the two repeats are counted"
    );

    let unlist = api(&sim, Method::POST, "/v1/directory/+31201234567/unlist")
        .header("idempotency-key", "job-unlist-00000000000001");
    let (status, accepted) = send(unlist).await;
    assert_eq!(status, 202);
    let operation = accepted["operation_id"].as_str().expect("an operation");
    let poll = || async {
        let path = format!("/v1/operations/{operation}");
        send(api(&sim, Method::GET, &path)).await.1["status"].clone()
    };
    assert_eq!(poll().await, "pending");
    assert_eq!(poll().await, "done");

    let erase = api(&sim, Method::POST, "/v1/subscribers/OO-100001/erasure");
    assert_eq!(
        send(erase).await.0,
        400,
        "a change without an idempotency key is refused"
    );
    sim.stop();
}

#[tokio::test]
async fn told_to_be_down_the_stand_in_answers_503_to_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = start(&dir).await;
    let down = api(&sim, Method::PUT, "/admin/faults").json(&Faults {
        down: true,
        ..Faults::default()
    });
    assert_eq!(send(down).await.0, 204);
    let (status, body) = send(api(&sim, Method::GET, "/v1/provider")).await;
    assert_eq!(status, 503);
    assert_eq!(body["code"], "down");
    sim.stop();
}

#[tokio::test]
async fn told_to_fail_every_call_the_stand_in_answers_with_errors_and_resets_connections() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = start(&dir).await;
    let failing = api(&sim, Method::PUT, "/admin/faults").json(&Faults {
        fail_share: 1.0,
        hang_ms: 10,
        ..Faults::default()
    });
    assert_eq!(send(failing).await.0, 204);
    let mut statuses = std::collections::BTreeSet::new();
    let mut resets = 0;
    for _ in 0..80 {
        match api(&sim, Method::GET, "/v1/provider").send().await {
            Ok(response) => {
                statuses.insert(response.status().as_u16());
            }
            Err(error) => {
                assert!(!error.is_timeout(), "{error}");
                resets += 1;
            }
        }
    }
    assert!(resets > 0, "some connections were reset");
    assert!(
        statuses.is_subset(&[429, 500, 503, 504].into()) && statuses.len() == 4,
        "every error answer, and no success: {statuses:?}"
    );
    sim.stop();
}
