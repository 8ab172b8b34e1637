use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A category that will be erased; `items` is `None` when the provider did not answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedView {
    pub id: String,
    pub title: String,
    pub items: Option<usize>,
}

/// A category the law makes us keep: how, on what ground, for how long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptView {
    pub id: String,
    pub title: String,
    pub items: usize,
    /// `keep` (detached from the account) or `pseudonymise`.
    pub how: String,
    pub ground: String,
    pub period: String,
    /// The last day the newest item may be kept (YYYY-MM-DD), when known.
    pub until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionPlanView {
    pub erased_here: Vec<PlannedView>,
    pub erased_at_provider: Vec<PlannedView>,
    pub provider: String,
    pub kept: Vec<KeptView>,
    pub suppliers: Vec<String>,
    pub listed: Option<bool>,
    pub cool_off_days: u64,
    /// Whether the password was entered recently enough to confirm now.
    pub recently_authenticated: bool,
}

/// What deleting the signed-in account would do, category by category.
#[server(endpoint = "my_data/deletion_plan", input = server_fn::codec::GetUrl)]
pub async fn deletion_plan(lang: String) -> Result<DeletionPlanView, AppError> {
    use domain::OnErasure;
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (session, account) = crate::auth::require_user().await?;
    let ctx = crate::context::ctx()?;
    let plan = ctx.erasures.plan(&account.id).await.map_err(|e| {
        crate::auth::fail(crate::auth::internal(
            "the deletion plan could not be made",
            e,
        ))
    })?;
    let planned = |p: workflows::erasure::PlannedCategory| PlannedView {
        id: p.id,
        title: p.title.get(lang).to_owned(),
        items: p.items,
    };
    Ok(DeletionPlanView {
        erased_here: plan.erased_here.into_iter().map(planned).collect(),
        erased_at_provider: plan.erased_at_provider.into_iter().map(planned).collect(),
        provider: ctx.facts.provider.display_name.clone(),
        kept: plan
            .kept
            .into_iter()
            .map(|k| KeptView {
                id: k.id,
                title: k.title.get(lang).to_owned(),
                items: k.items,
                how: match k.how {
                    OnErasure::Pseudonymise => "pseudonymise",
                    _ => "keep",
                }
                .to_owned(),
                ground: k.ground.get(lang).to_owned(),
                period: k.period.get(lang).to_owned(),
                until: k.until.map(|d| domain::time::date(d, lang)),
            })
            .collect(),
        suppliers: plan.suppliers,
        listed: plan.listed,
        cool_off_days: plan.cool_off_days,
        recently_authenticated: crate::auth::recently_authenticated(&session).await?,
    })
}
