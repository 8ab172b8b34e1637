//! Seeing the portal run without seeing anyone's data: a request id on every request (in its
//! log lines and the `x-request-id` response header, so support can find a failure a customer
//! reports), log spans that hold the method and path but never the query string (links carry
//! tokens there), and Prometheus metrics at `/metrics` for the configured networks or a token.

use crate::{AppState, client::ClientAddress};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use std::{sync::Arc, time::Instant};
use tower_http::request_id::RequestId;
use tracing::Span;

/// The response header (and log field) naming the request.
pub const REQUEST_ID: &str = "x-request-id";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Answered {
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Method {
    method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ProviderFailure {
    pub kind: &'static str,
}

/// The counters the portal keeps itself; the queue and request figures are read from the
/// database when scraped, so every instance reports the same.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<Answered, Counter>,
    latency: Family<Method, Histogram>,
    pub provider_errors: Family<ProviderFailure, Counter>,
    queued_jobs: Gauge,
    parked_jobs: Gauge,
    waiting_mail: Gauge,
    open_requests: Gauge,
    overdue_requests: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("portal");
        let requests = Family::<Answered, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method and status",
            requests.clone(),
        );
        let latency = Family::<Method, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_5, 2.0, 16))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by method",
            latency.clone(),
        );
        let provider_errors = Family::<ProviderFailure, Counter>::default();
        registry.register(
            "provider_errors",
            "Failed calls to the provider (Operator Online), by kind",
            provider_errors.clone(),
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let gauge = Gauge::default();
            registry.register(name, help, gauge.clone());
            gauge
        };
        let queued_jobs = gauge(
            &mut registry,
            "jobs_queued",
            "Jobs waiting to be carried out",
        );
        let parked_jobs = gauge(
            &mut registry,
            "jobs_parked",
            "Jobs parked as dead, waiting for staff",
        );
        let waiting_mail = gauge(&mut registry, "mail_waiting", "Messages waiting to be sent");
        let open_requests = gauge(&mut registry, "requests_open", "Open rights requests");
        let overdue_requests = gauge(
            &mut registry,
            "requests_overdue",
            "Open rights requests past their deadline",
        );
        Self {
            registry: Arc::new(registry),
            requests,
            latency,
            provider_errors,
            queued_jobs,
            parked_jobs,
            waiting_mail,
            open_requests,
            overdue_requests,
        }
    }
}

/// The span every request's log lines carry: method, path (never the query), request id.
pub fn span(request: &Request<Body>) -> Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

/// Counts every answer and its latency. The label is the method and status, never the path
/// (ids in paths would make a series per person).
pub async fn measure(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics
        .latency
        .get_or_create(&Method {
            method: method.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    metrics
        .requests
        .get_or_create(&Answered {
            method,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// `GET /metrics`: the Prometheus text format, for clients from `metrics.allow` or with the
/// bearer token; 403 for everyone else.
pub async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    let client = request.extensions().get::<ClientAddress>().map(|c| c.0);
    let access = &state.config.metrics;
    let from_allowed = client.is_some_and(|ip| access.allow.iter().any(|net| net.contains(&ip)));
    let token = access.token.expose_secret();
    let with_token = !token.is_empty()
        && request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            // Compared as digests: the time taken says nothing about the token.
            .is_some_and(|given| Sha256::digest(given) == Sha256::digest(token));
    if !(from_allowed || with_token) {
        return (StatusCode::FORBIDDEN, "forbidden\n").into_response();
    }
    let metrics = &state.metrics;
    let store = &state.store;
    let count = |n: Result<i64, store::StoreError>| n.unwrap_or(-1);
    metrics
        .queued_jobs
        .set(count(store.count_jobs("queued").await));
    metrics
        .parked_jobs
        .set(count(store.count_jobs("dead").await));
    metrics.waiting_mail.set(count(store.mail_waiting().await));
    if let Ok(dashboard) = state.requests.dashboard().await {
        metrics
            .open_requests
            .set(i64::try_from(dashboard.open).unwrap_or(i64::MAX));
        metrics
            .overdue_requests
            .set(i64::try_from(dashboard.overdue).unwrap_or(i64::MAX));
    }
    let mut body = String::new();
    if encode(&mut body, &metrics.registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// The provider's client, counting its failures for `/metrics`.
pub struct CountingProvider {
    pub inner: Arc<dyn provider::Provider>,
    pub errors: Family<ProviderFailure, Counter>,
}

impl CountingProvider {
    fn count<T>(
        &self,
        result: Result<T, provider::ProviderError>,
    ) -> Result<T, provider::ProviderError> {
        if let Err(error) = &result {
            use provider::ProviderError as E;
            let kind = match error {
                E::Unavailable { .. } => "unavailable",
                E::CircuitOpen { .. } => "circuit_open",
                E::NeedsAttention { .. } => "refused",
                E::Contract(_) => "contract",
            };
            self.errors.get_or_create(&ProviderFailure { kind }).inc();
        }
        result
    }
}

#[async_trait::async_trait]
impl provider::Provider for CountingProvider {
    async fn provider_info(
        &self,
    ) -> Result<provider::model::ProviderInfo, provider::ProviderError> {
        self.count(self.inner.provider_info().await)
    }

    async fn subscriber_data(
        &self,
        subscriber: &provider::model::SubscriberId,
        page: Option<&str>,
    ) -> Result<provider::model::DataPage, provider::ProviderError> {
        self.count(self.inner.subscriber_data(subscriber, page).await)
    }

    async fn correct(
        &self,
        subscriber: &provider::model::SubscriberId,
        correction: &provider::model::Correction,
        key: &provider::model::IdempotencyKey,
    ) -> Result<provider::model::Applied, provider::ProviderError> {
        self.count(self.inner.correct(subscriber, correction, key).await)
    }

    async fn erase(
        &self,
        subscriber: &provider::model::SubscriberId,
        key: &provider::model::IdempotencyKey,
    ) -> Result<provider::model::Accepted, provider::ProviderError> {
        self.count(self.inner.erase(subscriber, key).await)
    }

    async fn unlist(
        &self,
        number: &str,
        key: &provider::model::IdempotencyKey,
    ) -> Result<provider::model::Accepted, provider::ProviderError> {
        self.count(self.inner.unlist(number, key).await)
    }

    async fn operation(
        &self,
        operation_id: &str,
    ) -> Result<provider::model::Operation, provider::ProviderError> {
        self.count(self.inner.operation(operation_id).await)
    }

    async fn purge_usage(
        &self,
        purge: &provider::model::UsagePurge,
        key: &provider::model::IdempotencyKey,
    ) -> Result<provider::model::Applied, provider::ProviderError> {
        self.count(self.inner.purge_usage(purge, key).await)
    }
}
