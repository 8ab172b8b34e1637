//! Contract tests: the real client against the stand-in over real HTTP on loopback, for every
//! operation; then with faults, and with the stand-in down.

use provider::{
    ClientSettings, HttpProvider, Provider, ProviderError,
    model::{Correction, FieldChange, IdempotencyKey, OperationStatus, RecordKind, SubscriberId},
};
use provider_sim::{Faults, RunningSim, SimConfig, spawn};
use std::time::Duration;

const KEY: &str = "contract-test-key-01";

async fn stand_in(dir: &tempfile::TempDir, faults: Faults) -> RunningSim {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    spawn(
        listener,
        &SimConfig {
            database_url: format!("sqlite://{}", dir.path().join("sim.db").display()),
            api_key: KEY.into(),
            faults,
            seed_demo: true,
        },
    )
    .await
    .expect("the stand-in starts")
}

fn settings(url: &str) -> ClientSettings {
    let mut settings = ClientSettings::new(url.parse().expect("url"), KEY.to_owned().into());
    settings.attempt_timeout = Duration::from_millis(500);
    settings.min_delay = Duration::from_millis(5);
    settings.max_delay = Duration::from_millis(50);
    settings
}

fn key(text: &str) -> IdempotencyKey {
    IdempotencyKey::new(text).expect("a key")
}

fn sanne() -> SubscriberId {
    SubscriberId::parse("OO-100001").expect("an id")
}

#[tokio::test]
async fn every_operation_of_the_contract_works_against_the_stand_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = stand_in(&dir, Faults::default()).await;
    let client = HttpProvider::new(settings(&sim.url())).expect("client");

    let info = client.provider_info().await.expect("info");
    assert_eq!(info.name, "Operator Online");
    assert!(!info.sub_processors.is_empty());

    let mut records = Vec::new();
    let mut page = None;
    loop {
        let data = client
            .subscriber_data(&sanne(), page.as_deref())
            .await
            .expect("a page");
        records.extend(data.records);
        match data.next_page {
            Some(next) => page = Some(next),
            None => break,
        }
    }
    assert_eq!(records.len(), 8);
    assert!(records.iter().any(|r| r.kind == RecordKind::Usage));

    let correction = Correction {
        changes: vec![FieldChange {
            record_id: "OO-100001-num-1".into(),
            field: "holder_name".into(),
            value: "Bakkerij S. de Vries".into(),
        }],
    };
    assert_eq!(
        client
            .correct(&sanne(), &correction, &key("job-correct-0000000001"))
            .await
            .expect("corrected")
            .applied,
        1
    );
    let first = client
        .subscriber_data(&sanne(), None)
        .await
        .expect("a page");
    assert_eq!(
        first.records[0].fields["holder_name"],
        "Bakkerij S. de Vries"
    );

    let unlisted = client
        .unlist("+31201234567", &key("job-unlist-00000000001"))
        .await
        .expect("accepted");
    assert_eq!(
        client
            .operation(&unlisted.operation_id)
            .await
            .expect("polled")
            .status,
        OperationStatus::Pending
    );
    assert_eq!(
        client
            .operation(&unlisted.operation_id)
            .await
            .expect("polled")
            .status,
        OperationStatus::Done
    );

    let erased = client
        .erase(&sanne(), &key("job-erase-000000000001"))
        .await
        .expect("accepted");
    client
        .operation(&erased.operation_id)
        .await
        .expect("polled");
    assert!(
        client
            .subscriber_data(&sanne(), None)
            .await
            .expect("a page")
            .records
            .is_empty()
    );

    let unknown = Correction {
        changes: vec![FieldChange {
            record_id: "nope".into(),
            field: "x".into(),
            value: "y".into(),
        }],
    };
    let refused = client
        .correct(&sanne(), &unknown, &key("job-correct-0000000002"))
        .await;
    assert_eq!(
        refused,
        Err(ProviderError::NeedsAttention {
            status: 422,
            code: "unknown_record".into()
        }),
        "a 4xx is not retried but needs a person"
    );
    sim.stop();
}

#[tokio::test]
async fn with_a_third_of_calls_failing_every_change_completes_and_is_applied_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let faults = Faults {
        fail_share: 0.3,
        retry_after_s: 0,
        hang_ms: 800,
        ..Faults::default()
    };
    let sim = stand_in(&dir, faults).await;
    let mut settings = settings(&sim.url());
    settings.attempt_timeout = Duration::from_millis(300);
    settings.attempts = 12;
    settings.breaker_threshold = u32::MAX;
    let client = HttpProvider::new(settings).expect("client");

    for n in 0..40 {
        let correction = Correction {
            changes: vec![FieldChange {
                record_id: "OO-100001-num-1".into(),
                field: "note".into(),
                value: format!("change {n}"),
            }],
        };
        client
            .correct(&sanne(), &correction, &key(&format!("job-fault-{n:012}")))
            .await
            .unwrap_or_else(|e| panic!("change {n} did not complete: {e}"));
    }
    let effects: std::collections::BTreeMap<String, i64> = reqwest::Client::new()
        .get(format!("{}/admin/effects", sim.url()))
        .header("x-api-key", KEY)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let injected: u64 = reqwest::Client::new()
        .get(format!("{}/admin/injected", sim.url()))
        .header("x-api-key", KEY)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert!(injected >= 5, "the stand-in did fail calls ({injected})");
    assert_eq!(effects.len(), 40, "none lost");
    assert!(
        effects.values().all(|&n| n == 1),
        "none applied twice: {effects:?}"
    );
    sim.stop();
}

#[tokio::test]
async fn a_provider_that_is_down_is_left_alone_after_repeated_failures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = stand_in(
        &dir,
        Faults {
            down: true,
            ..Faults::default()
        },
    )
    .await;
    let mut settings = settings(&sim.url());
    settings.attempts = 2;
    settings.breaker_threshold = 3;
    settings.cooldown = Duration::from_millis(200);
    let client = HttpProvider::new(settings).expect("client");
    for _ in 0..3 {
        assert!(matches!(
            client.provider_info().await,
            Err(ProviderError::Unavailable { .. })
        ));
    }
    assert!(
        matches!(
            client.provider_info().await,
            Err(ProviderError::CircuitOpen { .. })
        ),
        "the circuit is open: no call is made"
    );

    // After the cooldown one call probes; the others still wait.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let (a, b) = tokio::join!(client.provider_info(), client.provider_info());
    let outcomes = [a, b];
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, Err(ProviderError::Unavailable { .. })))
            .count(),
        1,
        "one probe: {outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .any(|o| matches!(o, Err(ProviderError::CircuitOpen { .. })))
    );

    // The provider is back: the next probe closes the circuit.
    reqwest::Client::new()
        .put(format!("{}/admin/faults", sim.url()))
        .header("x-api-key", KEY)
        .json(&Faults::default())
        .send()
        .await
        .expect("faults cleared");
    tokio::time::sleep(Duration::from_millis(250)).await;
    client.provider_info().await.expect("the probe succeeds");
    client
        .provider_info()
        .await
        .expect("and the circuit is closed");
    sim.stop();
}
