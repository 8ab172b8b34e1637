//! The real `portal` process, for the tests that kill it: started on port 0 beside the
//! stand-in, and the workflows the tests queue work with, built as `portal` builds them.

use provider_sim::testing::{StandIn, TEST_KEY};
use std::{path::Path, sync::Arc};
use store::testing::TestDatabase;

/// The portal's workflows over the test's database and stand-in, as `portal` builds them.
pub struct Workflows {
    pub my_data: workflows::my_data::MyData,
    pub exports: workflows::export::Exports,
    pub erasures: workflows::erasure::Erasures,
}

pub fn workflows_for(
    db: &TestDatabase,
    stand_in: &StandIn,
    exports: &Path,
    store: &Arc<dyn store::Store>,
) -> Workflows {
    use figment::{Figment, providers::Serialized};
    let config = server::Config::load_with(
        None,
        Figment::new()
            .merge(Serialized::default("database_url", db.url().expose()))
            .merge(Serialized::default("provider_api.base_url", stand_in.url()))
            .merge(Serialized::default("provider_api.api_key", TEST_KEY))
            .merge(Serialized::default("exports.dir", exports)),
    )
    .expect("configuration");
    let provider =
        server::workers::provider(&config, &server::observe::Metrics::default()).expect("a client");
    let clock: Arc<dyn domain::Clock> = Arc::new(domain::SystemClock);
    let my_data = server::workers::my_data(&config, store, &provider, &clock);
    let exports = server::workers::exports(&config, my_data.clone(), &provider);
    let erasures = server::workers::erasures(&config, my_data.clone(), &provider, exports.clone());
    Workflows {
        my_data,
        exports,
        erasures,
    }
}

/// `portal serve` on port 0 over the test's database, beside the stand-in, with its outbox in
/// `dir/outbox` and its exports in `dir/exports`.
pub fn start_portal(db: &TestDatabase, stand_in: &StandIn, dir: &Path) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("serve")
        .env_remove("APP_CONFIG")
        .env("APP_LISTEN", "127.0.0.1:0")
        .env("APP_DATABASE_URL", db.url().expose())
        .env("APP_MAIL__OUTBOX", dir.join("outbox"))
        .env("APP_MAIL__POLL_INTERVAL", "50ms")
        .env("APP_EXPORTS__DIR", dir.join("exports"))
        .env("APP_PROVIDER_API__BASE_URL", stand_in.url())
        .env("APP_PROVIDER_API__API_KEY", TEST_KEY)
        .env("APP_PROVIDER_API__ATTEMPT_TIMEOUT", "2s")
        .env("APP_JOBS__LEASE", "16s")
        .env("APP_JOBS__POLL_INTERVAL", "50ms")
        .env("APP_JOBS__OPERATION_POLL", "50ms")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the portal starts")
}

/// After a kill: the dead process may hold a job's lease and, when the kill lands while a mail
/// is being sent, that mail's. Let both run out now instead of after the lease's time.
pub async fn release_leases(db: &TestDatabase) {
    let pool = sqlx::SqlitePool::connect(db.url().expose())
        .await
        .expect("pool");
    for release in [
        "UPDATE jobs SET locked_until = NULL",
        "UPDATE mail_outbox SET locked_until = NULL",
    ] {
        sqlx::query(release)
            .execute(&pool)
            .await
            .expect("lease given up");
    }
    pool.close().await;
}

/// The Message-IDs of the mails in the outbox (`dir/outbox`) to `to` whose subject has `about`.
pub fn message_ids(dir: &Path, to: &str, about: &str) -> Vec<String> {
    super::browser::mails_to(&dir.join("outbox"), to)
        .into_iter()
        .filter(|m| m.subject.contains(about))
        .filter_map(|m| {
            let raw = std::fs::read_to_string(&m.file).ok()?;
            raw.lines()
                .find(|l| l.to_lowercase().starts_with("message-id:"))
                .map(str::to_owned)
        })
        .collect()
}
