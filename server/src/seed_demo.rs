//! `portal seed-demo`: demo accounts for local use. Refused when the configuration says
//! production, so published demo passwords can never open a real portal.

use crate::{Config, StartError, config::Environment, startup};
use domain::SystemClock;
use std::sync::Arc;
use workflows::accounts::{AccountsError, demo};

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(
        "refusing to create demo accounts: the configuration says `environment = \"production\"`"
    )]
    Production,
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("creating the demo accounts failed: {0}")]
    Accounts(#[from] AccountsError),
}

pub async fn run(config: &Config) -> Result<(), SeedError> {
    if config.environment == Environment::Production {
        return Err(SeedError::Production);
    }
    let store = store::connect(&config.database_url)
        .await
        .map_err(StartError::from)?;
    let accounts = startup::accounts(config, Arc::clone(&store), Arc::new(SystemClock))?;
    let created = demo::seed(&accounts).await;
    store.close().await;
    let created = created?;
    tracing::info!(
        created,
        total = demo::DEMO_LOGINS.len(),
        "demo accounts ready (logins: README)"
    );
    Ok(())
}
