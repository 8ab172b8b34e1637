//! The retention purge's history, for admins: when each run was, and how many items of each
//! category of the retention matrix it deleted.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One run, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    pub slot: String,
    pub finished: Option<String>,
    /// The category in the matrix's words, and how many items went.
    pub counts: Vec<(String, u64)>,
    /// The job that asks the provider to delete its usage records.
    pub provider_job: Option<i64>,
}

/// The newest runs of the retention purge (admins only).
#[server(endpoint = "admin/retention", input = server_fn::codec::GetUrl)]
pub async fn retention_runs(lang: String) -> Result<Vec<RunView>, AppError> {
    crate::auth::require_role(&[domain::Role::Admin]).await?;
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let ctx = crate::context::ctx()?;
    let runs = ctx.retention.runs(60).await.map_err(|e| {
        crate::auth::fail(crate::auth::internal(
            "the retention runs could not be read",
            e,
        ))
    })?;
    let name = |id: &str| match ctx.facts.retention_rule(id) {
        Some(rule) => rule.categories.get(lang).to_owned(),
        None if id == workflows::retention::EXPIRED => crate::i18n::tr(
            lang,
            "Verlopen sessies en e-maillinks",
            "Expired sessions and mailed links",
        )
        .to_owned(),
        None => id.to_owned(),
    };
    Ok(runs
        .into_iter()
        .map(|run| RunView {
            slot: run.slot,
            finished: run.finished_at.map(|at| ctx.requests.local_time(at, lang)),
            counts: run
                .purged
                .counts
                .iter()
                .map(|(id, count)| (name(id), *count))
                .collect(),
            provider_job: run.purged.provider_job,
        })
        .collect())
}
