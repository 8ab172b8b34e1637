//! The Operator Online provider adapter: the API contract (`openapi.json`), its types, the
//! [`Provider`] trait the workflows call, and an HTTP client for it.

mod client;
pub mod model;

pub use client::{ClientSettings, HttpProvider, LONGEST_RETRY_AFTER, read_answer};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use model::{
    Accepted, Applied, Correction, DataPage, IdempotencyKey, Operation, ProviderInfo, SubscriberId,
    UsagePurge,
};
use std::time::Duration;

/// The contract, as published to the provider.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Why a call to the provider did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// Worth trying again later: a timeout, a lost connection, 429 or 5xx.
    #[error("the provider is unavailable ({reason})")]
    Unavailable {
        reason: String,
        /// What the provider asked for (`Retry-After`), if it did.
        retry_after: Option<Duration>,
    },
    /// The provider refused the request as it is (another 4xx): retrying will not help; a
    /// person must look at it.
    #[error("the provider refused the request ({status} {code}): needs attention")]
    NeedsAttention { status: u16, code: String },
    /// Too many recent failures: calls are not even tried until `until`.
    #[error("the provider is not called until {until} after repeated failures")]
    CircuitOpen { until: DateTime<Utc> },
    /// The answer did not match the contract.
    #[error("the provider's answer did not match the contract: {0}")]
    Contract(String),
}

impl ProviderError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ProviderError::Unavailable { .. } | ProviderError::CircuitOpen { .. }
        )
    }
}

/// What the portal asks of the provider. Every changing call carries an idempotency key.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    async fn provider_info(&self) -> Result<ProviderInfo, ProviderError>;

    /// One page of everything held for the subscriber; `page` is the previous page's
    /// `next_page`.
    async fn subscriber_data(
        &self,
        subscriber: &SubscriberId,
        page: Option<&str>,
    ) -> Result<DataPage, ProviderError>;

    async fn correct(
        &self,
        subscriber: &SubscriberId,
        correction: &Correction,
        key: &IdempotencyKey,
    ) -> Result<Applied, ProviderError>;

    async fn erase(
        &self,
        subscriber: &SubscriberId,
        key: &IdempotencyKey,
    ) -> Result<Accepted, ProviderError>;

    /// `number` in E.164 (`+31…`).
    async fn unlist(&self, number: &str, key: &IdempotencyKey) -> Result<Accepted, ProviderError>;

    async fn operation(&self, operation_id: &str) -> Result<Operation, ProviderError>;

    /// Deletes the usage records of every subscriber from billing months before the purge's
    /// month; the answer counts the records deleted.
    async fn purge_usage(
        &self,
        purge: &UsagePurge,
        key: &IdempotencyKey,
    ) -> Result<Applied, ProviderError>;
}
