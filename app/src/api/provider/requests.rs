use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The holder's standing with the provider, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderOverview {
    /// The provider's name, e.g. "Operator Online".
    pub provider: String,
    /// Whether the provider holds data of this account at all.
    pub subscriber: bool,
    /// Newest first.
    pub requests: Vec<RequestView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    /// The job's kind, e.g. `provider.unlist`.
    pub kind: String,
    /// UTC, `YYYY-MM-DD HH:MM UTC`, as the other account pages show times.
    pub requested: String,
    pub state: RequestState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestState {
    Pending { last_attempt: Option<String> },
    Done { at: String },
    NeedsAttention { since: String },
}

#[server(endpoint = "provider/requests", input = server_fn::codec::GetUrl)]
pub async fn provider_requests(
    #[server(default)] lang: String,
) -> Result<ProviderOverview, AppError> {
    use workflows::jobs::JobState;
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    let ctx = crate::context::ctx()?;
    let overview = ctx.provider_requests.overview(&account.id).await?;
    let local = ctx.facts.local_time();
    let format = |at| local.moment(at, lang);
    Ok(ProviderOverview {
        provider: ctx.facts.provider.display_name.clone(),
        subscriber: overview.subscriber.is_some(),
        requests: overview
            .requests
            .into_iter()
            .map(|job| RequestView {
                kind: job.kind,
                requested: format(job.requested_at),
                state: match job.state {
                    JobState::Pending { last_attempt, .. } => RequestState::Pending {
                        last_attempt: last_attempt.map(format),
                    },
                    JobState::Done { at } => RequestState::Done { at: format(at) },
                    JobState::NeedsAttention { since } => RequestState::NeedsAttention {
                        since: format(since),
                    },
                },
            })
            .collect(),
    })
}
