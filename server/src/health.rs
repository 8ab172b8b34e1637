//! Liveness and readiness, for load balancers and orchestrators.

use crate::AppState;
use axum::{extract::State, http::StatusCode};

/// The process is up and serving.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// The process can do its work: the database answers.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}
