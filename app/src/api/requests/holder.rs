//! "Mijn verzoeken": the holder's requests, one request's thread, adding to it, withdrawing it.

use super::{RequestItem, ThreadView};
use crate::api::AppError;
use leptos::prelude::*;

/// Every request of the signed-in holder, newest first.
#[server(endpoint = "requests/mine", input = server_fn::codec::GetUrl)]
pub async fn my_requests(#[server(default)] lang: String) -> Result<Vec<RequestItem>, AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    let ctx = crate::context::ctx()?;
    let list = ctx.requests.of_holder(&account.id).await.map_err(|e| {
        crate::auth::fail(crate::auth::internal("the requests could not be read", e))
    })?;
    Ok(list
        .iter()
        .map(|r| super::item(&ctx, r, None, lang))
        .collect())
}

/// One of the holder's requests with its thread; anyone else's is "not found".
#[server(endpoint = "requests/one", input = server_fn::codec::GetUrl)]
pub async fn my_request(#[server(default)] lang: String, id: i64) -> Result<ThreadView, AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    let ctx = crate::context::ctx()?;
    let thread = ctx
        .requests
        .holder_thread(&account.id, id)
        .await
        .map_err(super::work_error)?;
    Ok(super::thread(&ctx, thread, None, lang))
}

/// The holder adds information or a question to an open request.
#[server(endpoint = "requests/message")]
pub async fn add_message(
    lang: String,
    id: i64,
    #[server(default)] body: String,
) -> Result<(), AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    crate::context::ctx()?
        .requests
        .add_message(&account.id, id, &body)
        .await
        .map_err(super::work_error)?;
    leptos_axum::redirect(&format!(
        "/{}/requests/{id}?notice=message-sent",
        lang.code()
    ));
    Ok(())
}

/// The holder withdraws an open request.
#[server(endpoint = "requests/cancel")]
pub async fn cancel_request(lang: String, id: i64) -> Result<(), AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    crate::context::ctx()?
        .requests
        .cancel(&account.id, id)
        .await
        .map_err(super::work_error)?;
    leptos_axum::redirect(&format!(
        "/{}/requests/{id}?notice=request-cancelled",
        lang.code()
    ));
    Ok(())
}
