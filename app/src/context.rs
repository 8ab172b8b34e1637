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

/// The context of the current request, or an internal error if it is not there.
///
/// It is gone, with the rest of the request's context, when a visitor leaves (or a client times
/// out) while a page is still rendering: its resources' server functions go on running and find
/// nothing. That is not a fault and is logged at debug; a request that still has its context but
/// not this one is (the server forgot to provide it).
pub fn ctx() -> Result<AppContext, crate::api::AppError> {
    use leptos::prelude::use_context;
    use_context::<AppContext>().ok_or_else(|| {
        if use_context::<http::request::Parts>().is_some() {
            tracing::error!("AppContext missing from the server function context");
        } else {
            tracing::debug!(
                "the request's context is gone: the page was abandoned while rendering"
            );
        }
        crate::api::AppError::Internal
    })
}
