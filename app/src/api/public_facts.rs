use super::AppError;
use domain::{Authority, EmailAddress, RetentionRule};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the public pages show of the client's facts. The sub-processor list is left out: the
/// policy discloses it on request, not to every visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicFacts {
    pub organisation: String,
    pub privacy_contact: EmailAddress,
    pub authority: Authority,
    pub provider: String,
    pub retention: Vec<RetentionRule>,
}

#[server(endpoint = "public_facts")]
pub async fn get_public_facts() -> Result<PublicFacts, AppError> {
    let facts = crate::context::ctx()?.facts;
    Ok(PublicFacts {
        organisation: facts.organisation.name.clone(),
        privacy_contact: facts.privacy_contact.clone(),
        authority: facts.authority.clone(),
        provider: facts.provider.display_name.clone(),
        retention: facts.retention.clone(),
    })
}
