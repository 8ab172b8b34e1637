//! The HTTP client for the provider's API: a timeout per attempt, retries with exponential
//! backoff and jitter on timeouts, lost connections, 429 and 5xx (waiting as long as
//! `Retry-After` asks, when that is no longer than the longest delay between attempts), no retry on other 4xx, no redirects followed, the API key in a secret
//! type, and a circuit breaker so a dead provider is not hammered.

use crate::{
    Provider, ProviderError,
    model::{
        Accepted, Applied, Correction, DataPage, IdempotencyKey, Operation, Problem, ProviderInfo,
        SubscriberId, UsagePurge,
    },
};
use async_trait::async_trait;
use backon::{ExponentialBuilder, Retryable};
use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode, header::RETRY_AFTER, redirect::Policy};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use std::{sync::Mutex, time::Duration};
use url::Url;

/// How the client reaches the provider and how patient it is.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// The API's base, e.g. `https://api.operator-online.example` (paths start with `/v1`).
    pub base_url: Url,
    pub api_key: SecretString,
    pub attempt_timeout: Duration,
    /// Attempts per call, the first included.
    pub attempts: usize,
    pub min_delay: Duration,
    pub max_delay: Duration,
    /// Consecutive failed calls after which the provider is left alone for `cooldown`.
    pub breaker_threshold: u32,
    pub cooldown: Duration,
}

impl ClientSettings {
    pub fn new(base_url: Url, api_key: SecretString) -> Self {
        Self {
            base_url,
            api_key,
            attempt_timeout: Duration::from_secs(10),
            attempts: 4,
            min_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            breaker_threshold: 5,
            cooldown: Duration::from_secs(30),
        }
    }
}

/// A circuit breaker: after `threshold` consecutive failed calls, calls fail at once until the
/// cooldown has passed; then one call is let through as a probe (the others still fail at once),
/// and its outcome closes the circuit or opens it for another cooldown.
struct Breaker {
    threshold: u32,
    cooldown: chrono::Duration,
    state: Mutex<BreakerState>,
}

#[derive(Default)]
struct BreakerState {
    failures: u32,
    open_until: Option<DateTime<Utc>>,
    /// When the probe now under way was let through; a probe that never reported back (its
    /// caller gave up) is replaced after a cooldown.
    probe_since: Option<DateTime<Utc>>,
}

impl Breaker {
    fn check(&self) -> Result<(), ProviderError> {
        let Ok(mut state) = self.state.lock() else {
            return Ok(());
        };
        let Some(until) = state.open_until else {
            return Ok(());
        };
        let now = Utc::now();
        if now < until {
            return Err(ProviderError::CircuitOpen { until });
        }
        match state.probe_since {
            Some(since) if now < since + self.cooldown => Err(ProviderError::CircuitOpen {
                until: since + self.cooldown,
            }),
            _ => {
                state.probe_since = Some(now);
                Ok(())
            }
        }
    }

    fn record(&self, healthy: bool) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if healthy {
            *state = BreakerState::default();
            return;
        }
        state.failures = state.failures.saturating_add(1);
        state.probe_since = None;
        if state.failures >= self.threshold {
            state.open_until = Some(Utc::now() + self.cooldown);
            tracing::warn!(failures = state.failures, "provider circuit opened");
        }
    }
}

pub struct HttpProvider {
    http: reqwest::Client,
    settings: ClientSettings,
    breaker: Breaker,
}

impl std::fmt::Debug for HttpProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpProvider")
            .field("base_url", &self.settings.base_url.as_str())
            .finish_non_exhaustive()
    }
}

/// The longest wait a `Retry-After` can ask for; a longer one counts as this. The job runner
/// adds the wait to the clock, and a provider's header must not be able to overflow it.
pub const LONGEST_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response
        .headers()
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(|seconds| Duration::from_secs(seconds).min(LONGEST_RETRY_AFTER))
}

/// Reads the provider's answer to one attempt: a 2xx body as `T`, 429 and 5xx as
/// [`ProviderError::Unavailable`] (with `Retry-After` in seconds, if sent), any other status as
/// [`ProviderError::NeedsAttention`] with the problem body's `code`. Everything in the answer
/// (status, headers, body) is the provider's to choose, so nothing here may panic: the fuzz
/// target `provider_responses` drives this function with arbitrary answers.
pub async fn read_answer<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, ProviderError> {
    let status = response.status();
    if status.is_success() {
        return response
            .json::<T>()
            .await
            .map_err(|e| ProviderError::Contract(e.to_string()));
    }
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Err(ProviderError::Unavailable {
            reason: status.as_u16().to_string(),
            retry_after: retry_after(&response),
        });
    }
    let code = response
        .json::<Problem>()
        .await
        .map(|p| p.code)
        .unwrap_or_else(|_| "unknown".into());
    Err(ProviderError::NeedsAttention {
        status: status.as_u16(),
        code,
    })
}

impl HttpProvider {
    pub fn new(settings: ClientSettings) -> Result<Self, ProviderError> {
        let http = reqwest::Client::builder()
            .redirect(Policy::none())
            .timeout(settings.attempt_timeout)
            .connect_timeout(settings.attempt_timeout)
            .build()
            .map_err(|e| ProviderError::Contract(format!("the HTTP client: {e}")))?;
        let breaker = Breaker {
            threshold: settings.breaker_threshold.max(1),
            cooldown: chrono::Duration::from_std(settings.cooldown)
                .unwrap_or(chrono::Duration::seconds(30)),
            state: Mutex::default(),
        };
        Ok(Self {
            http,
            settings,
            breaker,
        })
    }

    fn url(&self, path: &str) -> Result<Url, ProviderError> {
        self.settings
            .base_url
            .join(path)
            .map_err(|e| ProviderError::Contract(format!("a path: {e}")))
    }

    async fn attempt<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &Url,
        body: Option<&serde_json::Value>,
        key: Option<&IdempotencyKey>,
    ) -> Result<T, ProviderError> {
        let mut request = self
            .http
            .request(method, url.clone())
            .header("x-api-key", self.settings.api_key.expose_secret());
        if let Some(key) = key {
            request = request.header("idempotency-key", key.as_str());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|error| {
            let reason = if error.is_timeout() {
                "timeout"
            } else if error.is_connect() {
                "connection failed"
            } else {
                "connection lost"
            };
            ProviderError::Unavailable {
                reason: reason.into(),
                retry_after: None,
            }
        })?;
        read_answer(response).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
        key: Option<&IdempotencyKey>,
    ) -> Result<T, ProviderError> {
        self.breaker.check()?;
        let url = self.url(path)?;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.settings.min_delay)
            .with_max_delay(self.settings.max_delay)
            .with_max_times(self.settings.attempts.saturating_sub(1))
            .with_jitter();
        let outcome = (|| self.attempt::<T>(method.clone(), &url, body.as_ref(), key))
            .retry(backoff)
            .when(ProviderError::is_transient)
            .adjust(|error, delay| match (error, delay) {
                // Wait as long as the provider asks, if another attempt is due at all and the
                // wait is one this call can sit through; a longer one ends the call (the job
                // runner waits it out without holding a job).
                (
                    ProviderError::Unavailable {
                        retry_after: Some(asked),
                        ..
                    },
                    Some(_),
                ) if *asked <= self.settings.max_delay => Some(*asked),
                (
                    ProviderError::Unavailable {
                        retry_after: Some(_),
                        ..
                    },
                    Some(_),
                ) => None,
                _ => delay,
            })
            .notify(|error, delay| {
                tracing::debug!(%error, ?delay, "provider call failed; retrying");
            })
            .await;
        self.breaker
            .record(!matches!(outcome, Err(ProviderError::Unavailable { .. })));
        outcome
    }
}

#[async_trait]
impl Provider for HttpProvider {
    async fn provider_info(&self) -> Result<ProviderInfo, ProviderError> {
        self.call(Method::GET, "/v1/provider", None, None).await
    }

    async fn subscriber_data(
        &self,
        subscriber: &SubscriberId,
        page: Option<&str>,
    ) -> Result<DataPage, ProviderError> {
        let mut path = format!("/v1/subscribers/{subscriber}/data");
        if let Some(page) = page {
            let page: String = url::form_urlencoded::byte_serialize(page.as_bytes()).collect();
            path.push_str(&format!("?page={page}"));
        }
        self.call(Method::GET, &path, None, None).await
    }

    async fn correct(
        &self,
        subscriber: &SubscriberId,
        correction: &Correction,
        key: &IdempotencyKey,
    ) -> Result<Applied, ProviderError> {
        let body =
            serde_json::to_value(correction).map_err(|e| ProviderError::Contract(e.to_string()))?;
        self.call(
            Method::PATCH,
            &format!("/v1/subscribers/{subscriber}/fields"),
            Some(body),
            Some(key),
        )
        .await
    }

    async fn erase(
        &self,
        subscriber: &SubscriberId,
        key: &IdempotencyKey,
    ) -> Result<Accepted, ProviderError> {
        self.call(
            Method::POST,
            &format!("/v1/subscribers/{subscriber}/erasure"),
            None,
            Some(key),
        )
        .await
    }

    async fn unlist(&self, number: &str, key: &IdempotencyKey) -> Result<Accepted, ProviderError> {
        let number: String = url::form_urlencoded::byte_serialize(number.as_bytes()).collect();
        self.call(
            Method::POST,
            &format!("/v1/directory/{number}/unlist"),
            None,
            Some(key),
        )
        .await
    }

    async fn operation(&self, operation_id: &str) -> Result<Operation, ProviderError> {
        let id: String = url::form_urlencoded::byte_serialize(operation_id.as_bytes()).collect();
        self.call(Method::GET, &format!("/v1/operations/{id}"), None, None)
            .await
    }

    async fn purge_usage(
        &self,
        purge: &UsagePurge,
        key: &IdempotencyKey,
    ) -> Result<Applied, ProviderError> {
        let body =
            serde_json::to_value(purge).map_err(|e| ProviderError::Contract(e.to_string()))?;
        self.call(Method::POST, "/v1/usage/purge", Some(body), Some(key))
            .await
    }
}
