//! The provider's answers that ask the portal to wait (`Retry-After`): the wait is bounded, and
//! a call does not sit through a wait longer than its own delays between attempts. Found by the
//! fuzz target `provider_responses`.

use provider::{
    ClientSettings, HttpProvider, LONGEST_RETRY_AFTER, Provider, ProviderError, model::Applied,
    read_answer,
};
use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn answer(status: u16, retry_after: &str) -> reqwest::Response {
    let response = http::Response::builder()
        .status(status)
        .header("retry-after", retry_after)
        .body(Vec::new())
        .expect("a response");
    reqwest::Response::from(response)
}

#[tokio::test]
async fn a_retry_after_of_any_size_asks_for_at_most_a_day_so_the_job_runner_can_add_it_to_the_clock()
 {
    for (asked, expected) in [
        ("120", Duration::from_secs(120)),
        ("86400", LONGEST_RETRY_AFTER),
        ("99999999999999", LONGEST_RETRY_AFTER),
        ("18446744073709551615", LONGEST_RETRY_AFTER),
    ] {
        let read = read_answer::<Applied>(answer(503, asked)).await;
        assert_eq!(
            read,
            Err(ProviderError::Unavailable {
                reason: "503".into(),
                retry_after: Some(expected),
            }),
            "{asked}"
        );
        let wait = chrono::Duration::from_std(expected).expect("fits");
        assert!(chrono::Utc::now().checked_add_signed(wait).is_some());
    }
}

/// A provider that answers every call 503 with `Retry-After: 3600`; counts the calls.
async fn always_busy() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let _ = socket
                .write_all(
                    b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 3600\r\n\
                      content-length: 0\r\nconnection: close\r\n\r\n",
                )
                .await;
        }
    });
    (url, calls)
}

#[tokio::test]
async fn a_call_told_to_wait_longer_than_its_own_delays_ends_at_once_with_the_wait_for_the_job_runner()
 {
    let (url, calls) = always_busy().await;
    let mut settings = ClientSettings::new(url.parse().expect("url"), "key".to_owned().into());
    settings.max_delay = Duration::from_millis(50);
    settings.attempts = 4;
    let client = HttpProvider::new(settings).expect("client");
    let started = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(30), client.provider_info())
        .await
        .expect("the call does not sit through an hour");
    assert_eq!(
        result,
        Err(ProviderError::Unavailable {
            reason: "503".into(),
            retry_after: Some(Duration::from_secs(3600)),
        })
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "no attempt after the first"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
