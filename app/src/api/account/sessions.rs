use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One of the account's sessions, as "my sessions" lists it (no session id, not even hashed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub device: String,
    /// In the company's zone, as people write it.
    pub started: String,
    pub last_used: String,
    pub current: bool,
}

#[server(endpoint = "account/sessions", input = server_fn::codec::GetUrl)]
pub async fn my_sessions(#[server(default)] lang: String) -> Result<Vec<SessionView>, AppError> {
    use crate::auth;
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (session, account) = auth::require_user().await?;
    let here = auth::session_hash(&session);
    let ctx = crate::context::ctx()?;
    let local = ctx.facts.local_time();
    let format = |at| local.moment(at, lang);
    Ok(ctx
        .accounts
        .sessions(&account.id)
        .await?
        .into_iter()
        .map(|row| SessionView {
            device: row.device.unwrap_or_else(|| "?".into()),
            started: format(row.created_at),
            last_used: format(row.last_seen_at),
            current: here.as_deref() == Some(row.id_hash.as_str()),
        })
        .collect())
}
