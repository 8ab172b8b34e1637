use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Views of one page on one day; `visitors` counts only those who allowed analytical cookies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageViewView {
    pub day: String,
    pub path: String,
    pub views: i64,
    pub visitors: i64,
}

/// The aggregate page views of the last 30 days (admins only).
#[server(endpoint = "admin/page_views", input = server_fn::codec::GetUrl)]
pub async fn page_views() -> Result<Vec<PageViewView>, AppError> {
    crate::auth::require_role(&[domain::Role::Admin]).await?;
    let rows = crate::context::ctx()?
        .consents
        .page_views(30)
        .await
        .map_err(|e| crate::auth::internal("the page views could not be read", e))?;
    Ok(rows
        .into_iter()
        .map(|r| PageViewView {
            day: r.day.to_string(),
            path: r.path,
            views: r.views,
            visitors: r.visitors,
        })
        .collect())
}
