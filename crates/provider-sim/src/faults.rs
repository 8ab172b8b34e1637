//! Misbehaving on purpose, as a real provider sometimes does.

use crate::{Sim, connection::Connection, problem};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderValue, StatusCode, header::RETRY_AFTER},
    middleware::Next,
    response::Response,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What goes wrong, and how often. Changed at run time with `PUT /admin/faults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Added to every call.
    pub latency_ms: u64,
    /// The share of calls (0 to 1) that fail, spread evenly over: 500, 503 and 429 with
    /// `Retry-After`, a call that hangs for `hang_ms`, a connection reset before the call is
    /// handled, and a change that is applied but whose answer is lost (a 500, or a reset).
    pub fail_share: f64,
    /// Every call answers 503 without `Retry-After`.
    pub down: bool,
    /// The `Retry-After` sent with 429 and 503, in seconds.
    pub retry_after_s: u64,
    /// How long a hanging call hangs before it fails.
    pub hang_ms: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            fail_share: 0.0,
            down: false,
            retry_after_s: 1,
            hang_ms: 5_000,
        }
    }
}

fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

/// Resets the connection (served without a connection handle, as in a router test: a 502).
fn reset(connection: Option<Connection>) -> Response {
    match connection {
        Some(connection) => connection.reset(),
        None => return problem(StatusCode::BAD_GATEWAY, "injected", "connection reset"),
    }
    problem(StatusCode::INTERNAL_SERVER_ERROR, "injected", "never sent")
}

pub(crate) async fn inject(State(sim): State<Sim>, request: Request, next: Next) -> Response {
    let faults = sim.faults.read().await.clone();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if faults.down {
        return problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "down",
            "the back office is down",
        );
    }
    if rand::random::<f64>() >= faults.fail_share {
        return next.run(request).await;
    }
    sim.injected
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let connection = request
        .extensions()
        .get::<ConnectInfo<Connection>>()
        .map(|info| info.0.clone());
    match rand::random_range(0..7u8) {
        0 => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "injected",
            "injected failure",
        ),
        1 => with_retry_after(
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "injected",
                "injected overload",
            ),
            faults.retry_after_s,
        ),
        2 => with_retry_after(
            problem(
                StatusCode::TOO_MANY_REQUESTS,
                "injected",
                "injected rate limit",
            ),
            faults.retry_after_s,
        ),
        3 => {
            tokio::time::sleep(Duration::from_millis(faults.hang_ms)).await;
            problem(StatusCode::GATEWAY_TIMEOUT, "injected", "injected hang")
        }
        4 => reset(connection),
        5 => {
            // The change happens; its answer is lost on the way back.
            let _applied = next.run(request).await;
            problem(StatusCode::INTERNAL_SERVER_ERROR, "injected", "answer lost")
        }
        _ => {
            // The change happens; the connection breaks before the answer leaves.
            let _applied = next.run(request).await;
            reset(connection)
        }
    }
}
