//! The stand-in for other crates' tests: started on a free loopback port with its own database
//! in a temporary folder, and its admin endpoints as methods.

use crate::{Faults, RunningSim, SimConfig, spawn};
use std::collections::BTreeMap;

/// The API key a test stand-in expects.
pub const TEST_KEY: &str = "stand-in-test-key-0123";

pub struct StandIn {
    sim: Option<RunningSim>,
    port: u16,
    dir: tempfile::TempDir,
    http: reqwest::Client,
}

impl StandIn {
    /// Starts a stand-in seeded with the demo subscribers, misbehaving as `faults` say.
    pub async fn start(faults: Faults) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder for the stand-in");
        let mut stand_in = Self {
            sim: None,
            port: 0,
            dir,
            http: reqwest::Client::new(),
        };
        stand_in.serve(faults).await;
        stand_in
    }

    /// Serves on the port it had (a free one the first time).
    async fn serve(&mut self, faults: Faults) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("a port for the stand-in");
        self.port = listener.local_addr().expect("an address").port();
        let config = SimConfig {
            database_url: format!("sqlite://{}", self.dir.path().join("sim.db").display()),
            api_key: TEST_KEY.into(),
            faults,
            seed_demo: true,
        };
        self.sim = Some(spawn(listener, &config).await.expect("the stand-in starts"));
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops serving: connections are refused, as when the provider is gone.
    pub fn stop(&mut self) {
        if let Some(sim) = self.sim.take() {
            sim.stop();
        }
    }

    /// Serves again on the same port and database.
    pub async fn restart(&mut self, faults: Faults) {
        self.stop();
        self.serve(faults).await;
    }

    pub async fn set_faults(&self, faults: &Faults) {
        let response = self
            .http
            .put(format!("{}/admin/faults", self.url()))
            .header("x-api-key", TEST_KEY)
            .json(faults)
            .send()
            .await
            .expect("faults set");
        assert_eq!(response.status().as_u16(), 204, "faults set");
    }

    async fn read<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        self.http
            .get(format!("{}{path}", self.url()))
            .header("x-api-key", TEST_KEY)
            .send()
            .await
            .expect("the stand-in answers")
            .json()
            .await
            .expect("JSON")
    }

    /// How often each idempotency key's change was applied.
    pub async fn effects(&self) -> BTreeMap<String, i64> {
        self.read("/admin/effects").await
    }

    /// How often each key was sent again after its first answer.
    pub async fn replays(&self) -> BTreeMap<String, i64> {
        self.read("/admin/replays").await
    }

    /// How many calls were failed on purpose.
    pub async fn injected(&self) -> u64 {
        self.read("/admin/injected").await
    }
}
