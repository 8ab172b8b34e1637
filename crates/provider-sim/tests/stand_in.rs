//! The stand-in as a peer over real HTTP: it needs its key, pages its data, applies each change
//! once per idempotency key, and misbehaves when told to.

use provider_sim::{Faults, RunningSim, SimConfig, spawn};
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

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_stand_in_needs_its_key_pages_data_and_applies_a_change_once_per_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = start(&dir).await;
    let url = sim.url();

    let (status, _) = json(
        client()
            .get(format!("{url}/v1/provider"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 401, "no key, no answer");

    let mut ids = Vec::new();
    let mut page: Option<String> = None;
    loop {
        let mut request = client()
            .get(format!("{url}/v1/subscribers/OO-100001/data"))
            .header("x-api-key", KEY);
        if let Some(page) = &page {
            request = request.query(&[("page", page)]);
        }
        let (status, body) = json(request.send().await.expect("sent")).await;
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
        let (status, body) = json(
            client()
                .patch(format!("{url}/v1/subscribers/OO-100001/fields"))
                .header("x-api-key", KEY)
                .header("idempotency-key", "job-correct-000000000001")
                .json(&change)
                .send()
                .await
                .expect("sent"),
        )
        .await;
        assert_eq!((status, body), (200, json!({ "applied": 1 })));
    }
    let (_, effects) = json(
        client()
            .get(format!("{url}/admin/effects"))
            .header("x-api-key", KEY)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(
        effects,
        json!({ "job-correct-000000000001": 1 }),
        "applied once for three calls"
    );

    let (status, accepted) = json(
        client()
            .post(format!("{url}/v1/directory/+31201234567/unlist"))
            .header("x-api-key", KEY)
            .header("idempotency-key", "job-unlist-00000000000001")
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 202);
    let operation = accepted["operation_id"].as_str().expect("an operation");
    let poll = || async {
        json(
            client()
                .get(format!("{url}/v1/operations/{operation}"))
                .header("x-api-key", KEY)
                .send()
                .await
                .expect("sent"),
        )
        .await
        .1["status"]
            .clone()
    };
    assert_eq!(poll().await, "pending");
    assert_eq!(poll().await, "done");

    let (status, _) = json(
        client()
            .post(format!("{url}/v1/subscribers/OO-100001/erasure"))
            .header("x-api-key", KEY)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(
        status, 400,
        "a change without an idempotency key is refused"
    );
    sim.stop();
}

#[tokio::test]
async fn told_to_be_down_the_stand_in_answers_503_to_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = start(&dir).await;
    let url = sim.url();
    let response = client()
        .put(format!("{url}/admin/faults"))
        .header("x-api-key", KEY)
        .json(&Faults {
            down: true,
            ..Faults::default()
        })
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 204);
    let (status, body) = json(
        client()
            .get(format!("{url}/v1/provider"))
            .header("x-api-key", KEY)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 503);
    assert_eq!(body["code"], "down");
    sim.stop();
}
