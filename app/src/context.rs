//! What server functions get from the server: the services they call, by context.

use domain::ClientFacts;
use std::sync::Arc;

/// Provided to every route and server function by the server (`leptos_routes_with_context`).
#[derive(Clone)]
pub struct AppContext {
    pub facts: Arc<ClientFacts>,
    pub accounts: workflows::accounts::Accounts,
    pub provider_requests: workflows::provider_requests::ProviderRequests,
    pub my_data: workflows::my_data::MyData,
    pub exports: workflows::export::Exports,
    pub erasures: workflows::erasure::Erasures,
    pub consents: workflows::consent::Consents,
    pub requests: workflows::requests::Requests,
    pub retention: workflows::retention::Retention,
}

/// The context of the current request, or an internal error if the server forgot to provide it.
pub fn ctx() -> Result<AppContext, crate::api::AppError> {
    leptos::prelude::use_context::<AppContext>().ok_or_else(|| {
        tracing::error!("AppContext missing from the server function context");
        crate::api::AppError::Internal
    })
}
