//! Spawns the real application on port 0 with a fresh database, as production starts it.
#![allow(dead_code)]

pub mod browser;
pub mod process;

use axum::Router;
use figment::{Figment, providers::Serialized};
use server::{AppState, Application, Config};
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex, Once, PoisonError};
use store::testing::TestDatabase;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDatabase,
    /// The file outbox the portal's mail goes to.
    pub outbox: PathBuf,
    _outbox_dir: std::sync::Arc<tempfile::TempDir>,
    /// Stops the portal as SIGTERM does (also when the app is dropped).
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    running: Option<tokio::task::JoinHandle<Result<(), server::StartError>>>,
}

pub struct Spawn {
    db: TestDatabase,
    outbox: Option<std::sync::Arc<tempfile::TempDir>>,
    overrides: Figment,
    extra: Router<AppState>,
}

/// The repository's `public/` folder stands in for the built site (it holds the favicon).
pub fn site_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public")
}

/// Every log line this test process wrote, as the portal writes them in production with
/// `log_format = "json"`, at debug level for the portal's own crates.
static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// An e-mail address, as it might slip into a log line.
static EMAIL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .expect("a pattern")
});

struct Capture;

impl std::io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOGS.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends this process's log lines to [`logs`] (once; the first test to start an app does it).
pub fn capture_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::new(
            "info,sqlx=warn,server=debug,app=debug,workflows=debug,store=debug,provider=debug,\
             tower_http=debug",
        );
        let _ = tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_writer(|| Capture)
            .try_init();
    });
}

/// The log lines written so far.
pub fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
}

/// The first log line holding an e-mail address, if any.
pub fn line_with_an_address(logs: &str) -> Option<&str> {
    logs.lines().find(|line| EMAIL.is_match(line))
}

/// Every test that starts the portal checks, when it ends well, that no log line of its
/// process holds an e-mail address.
impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let logs = logs();
        if let Some(line) = line_with_an_address(&logs) {
            panic!("a log line holds an e-mail address: {line}");
        }
    }
}

pub fn spawn() -> Spawn {
    Spawn {
        db: TestDatabase::sqlite(),
        outbox: None,
        overrides: Figment::new(),
        extra: Router::new(),
    }
}

impl Spawn {
    pub fn on(mut self, db: TestDatabase) -> Self {
        self.db = db;
        self
    }

    pub fn set(mut self, key: &str, value: impl serde::Serialize) -> Self {
        self.overrides = self.overrides.merge(Serialized::default(key, value));
        self
    }

    pub fn route(mut self, extra: Router<AppState>) -> Self {
        self.extra = self.extra.merge(extra);
        self
    }

    /// Shares another app's outbox (two instances, one mail queue).
    pub fn outbox_of(mut self, other: &TestApp) -> Self {
        self.outbox = Some(std::sync::Arc::clone(&other._outbox_dir));
        self
    }

    pub async fn start(self) -> TestApp {
        capture_logs();
        let outbox_dir = self
            .outbox
            .unwrap_or_else(|| std::sync::Arc::new(tempfile::tempdir().expect("an outbox folder")));
        let outbox = outbox_dir.path().join("outbox");
        // What the test set wins over the fresh defaults.
        let overrides = Figment::new()
            .merge(Serialized::default("listen", "127.0.0.1:0"))
            .merge(Serialized::default("database_url", self.db.url().expose()))
            .merge(Serialized::default("site_root", site_root()))
            .merge(Serialized::default("mail.outbox", &outbox))
            .merge(Serialized::default("mail.poll_interval", "100ms"))
            .merge(Serialized::default(
                "exports.dir",
                outbox_dir.path().join("exports"),
            ))
            .merge(self.overrides);
        let config = Config::load_with(None, overrides).expect("test configuration");
        let app = Application::build_with(config, self.extra)
            .await
            .expect("the app starts");
        let address = format!("http://{}", app.address());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        TestApp {
            address,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .expect("client"),
            db: self.db,
            outbox,
            _outbox_dir: outbox_dir,
            stop: Some(stop),
            running: Some(running),
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn().start().await
}

impl TestApp {
    /// Shuts the portal down as SIGTERM does, and waits until it has stopped.
    pub async fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(running) = self.running.take() {
            running
                .await
                .expect("the server task")
                .expect("the server stopped cleanly");
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.get_in(path, None).await
    }

    pub async fn get_in(&self, path: &str, accept_language: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.address));
        if let Some(value) = accept_language {
            request = request.header("accept-language", value);
        }
        request.send().await.expect("the request is answered")
    }

    /// A form POST to `path` with no say about where it comes from; tests add the headers
    /// (`sec-fetch-site`, `origin`) they are about.
    pub fn form_post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
    }

    pub async fn html(&self, path: &str) -> scraper::Html {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        scraper::Html::parse_document(&response.text().await.expect("a body"))
    }
}

pub fn select<'a>(html: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(css).expect("a CSS selector");
    html.select(&selector).collect()
}

pub fn text(element: scraper::ElementRef<'_>) -> String {
    words(&element.text().collect::<String>())
}

pub fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A portal calling the stand-in provider, impatient and quick to retry so tests run fast.
pub async fn spawn_beside(stand_in: &provider_sim::testing::StandIn) -> TestApp {
    spawn()
        .set("provider_api.base_url", stand_in.url())
        .set("provider_api.api_key", provider_sim::testing::TEST_KEY)
        .set("provider_api.attempt_timeout", "200ms")
        .set("provider_api.circuit_cooldown", "300ms")
        .set("jobs.lease", "2s")
        .set("jobs.poll_interval", "100ms")
        .set("jobs.retry_base", "200ms")
        .set("jobs.retry_max", "400ms")
        .set("jobs.operation_poll", "100ms")
        .start()
        .await
}

/// A signed-in customer who is the stand-in's subscriber `subscriber`.
pub async fn signed_in_subscriber(
    app: &TestApp,
    email: &str,
    subscriber: &str,
) -> browser::Browser {
    let customer = browser::signed_in_customer(app, email).await;
    link_subscriber(app, email, subscriber).await;
    customer
}

/// The app's store, and the account with this address in it.
pub async fn store_and_account(
    app: &TestApp,
    email: &str,
) -> (std::sync::Arc<dyn store::Store>, store::account::AccountRow) {
    let store = store::connect(app.db.url()).await.expect("store");
    let account = store
        .account_by_email_key(email)
        .await
        .expect("read")
        .expect("the account");
    (store, account)
}

/// Makes the account with this address the stand-in's subscriber `subscriber` (as `seed-demo`
/// does for the demo customers).
pub async fn link_subscriber(app: &TestApp, email: &str, subscriber: &str) {
    let (store, account) = store_and_account(app, email).await;
    let mut tx = store.begin().await.expect("begin");
    tx.link_provider_subscriber(&account.id, subscriber)
        .await
        .expect("linked");
    tx.commit().await.expect("commit");
    store.close().await;
}

/// Gives an account a quote request shared with a supplier (as the website hands one over);
/// returns the quote's id.
#[allow(dead_code)]
pub async fn give_quote_request(app: &TestApp, email: &str, supplier: (&str, &str)) -> i64 {
    let (store, account) = store_and_account(app, email).await;
    let now = chrono::Utc::now();
    let mut tx = store.begin().await.expect("begin");
    let id = tx
        .insert_quote_request(&store::records::QuoteRequestRow {
            id: 0,
            account_id: account.id.clone(),
            service: "Zakelijk glasvezel".into(),
            details: "Voor de winkel".into(),
            requested_at: now - chrono::Duration::days(10),
            supplier_name: Some(supplier.0.to_owned()),
            supplier_email: Some(supplier.1.to_owned()),
            shared_at: Some(now - chrono::Duration::days(9)),
        })
        .await
        .expect("quote request");
    tx.commit().await.expect("commit");
    store.close().await;
    id
}

/// What the stand-in holds of a subscriber, as its API answers (`GET …/data`).
pub async fn at_the_stand_in(
    stand_in: &provider_sim::testing::StandIn,
    subscriber: &str,
) -> String {
    reqwest::Client::new()
        .get(format!(
            "{}/v1/subscribers/{subscriber}/data",
            stand_in.url()
        ))
        .header("x-api-key", provider_sim::testing::TEST_KEY)
        .send()
        .await
        .expect("the stand-in answers")
        .text()
        .await
        .expect("a body")
}
