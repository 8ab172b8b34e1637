//! Requests to the provider (Operator Online): what the holder asked for and where it stands.

mod requests;
mod unlist;

pub use requests::{ProviderOverview, RequestState, RequestView, provider_requests};
pub use unlist::UnlistDirectory;

#[cfg(feature = "ssr")]
impl From<workflows::provider_requests::RequestError> for crate::api::AppError {
    fn from(error: workflows::provider_requests::RequestError) -> Self {
        use workflows::provider_requests::RequestError;
        crate::auth::fail(match error {
            RequestError::NotASubscriber => crate::api::AppError::Forbidden,
            RequestError::Store(error) => crate::auth::internal("a provider request failed", error),
        })
    }
}
