//! A stand-in for Operator Online, the wholesale provider's back office, which cannot be reached
//! from here. It honours `crates/provider/openapi.json` from its own SQLite file, and can be told
//! to misbehave: latency, a share of failed calls (500, 503 and 429 with `Retry-After`, calls
//! that hang past the client's timeout, connections reset, failures and resets *after* the
//! change was applied), or being down.
//! It counts how often each idempotency key's effect was applied, so tests can prove that
//! nothing ran twice.

mod connection;
mod faults;
mod seed;
mod store;
#[cfg(feature = "test-support")]
pub mod testing;

pub use faults::Faults;

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, patch, post, put},
};
use provider::model::{Correction, Problem, SubscriberId, UsagePurge};
use serde::Deserialize;
use std::{collections::BTreeMap, net::SocketAddr, sync::Arc};
use tokio::{net::TcpListener, sync::RwLock};

/// How the stand-in starts.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// `sqlite://PATH` (created when missing).
    pub database_url: String,
    pub api_key: String,
    pub faults: Faults,
    /// Seed the subscribers that match `portal seed-demo`'s customers.
    pub seed_demo: bool,
}

#[derive(Clone)]
pub(crate) struct Sim {
    store: store::SimStore,
    api_key: Arc<str>,
    faults: Arc<RwLock<Faults>>,
    /// How many calls were failed on purpose.
    injected: Arc<std::sync::atomic::AtomicU64>,
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("the stand-in's database failed: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the stand-in's migrations failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
}

/// A running stand-in.
pub struct RunningSim {
    pub address: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl RunningSim {
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops serving at once (connections are dropped): the provider is down.
    pub fn stop(self) {
        self.task.abort();
    }
}

/// Builds the stand-in's routes on its database.
pub async fn router(config: &SimConfig) -> Result<Router, SimError> {
    let store = store::SimStore::open(&config.database_url).await?;
    if config.seed_demo {
        seed::demo(&store).await?;
    }
    let sim = Sim {
        store,
        api_key: Arc::from(config.api_key.as_str()),
        faults: Arc::new(RwLock::new(config.faults.clone())),
        injected: Arc::default(),
    };
    let api = Router::new()
        .route("/v1/provider", get(provider_info))
        .route("/v1/subscribers/{id}/data", get(subscriber_data))
        .route("/v1/subscribers/{id}/fields", patch(correct_fields))
        .route("/v1/subscribers/{id}/erasure", post(erase))
        .route("/v1/directory/{number}/unlist", post(unlist))
        .route("/v1/usage/purge", post(purge_usage))
        .route("/v1/operations/{id}", get(operation))
        .layer(middleware::from_fn_with_state(sim.clone(), faults::inject));
    Ok(Router::new()
        .merge(api)
        .route("/admin/faults", put(set_faults))
        .route("/admin/effects", get(effects))
        .route("/admin/replays", get(replays))
        .route("/admin/injected", get(injected))
        .layer(middleware::from_fn_with_state(sim.clone(), authenticate))
        .with_state(sim))
}

/// Serves on `listener` until stopped.
pub async fn spawn(listener: TcpListener, config: &SimConfig) -> Result<RunningSim, SimError> {
    let address = listener.local_addr()?;
    let app = router(config).await?;
    let task = tokio::spawn(async move {
        let app = app.into_make_service_with_connect_info::<connection::Connection>();
        if let Err(error) = axum::serve(connection::ResettableListener(listener), app).await {
            tracing::error!(%error, "the stand-in stopped");
        }
    });
    Ok(RunningSim { address, task })
}

pub(crate) fn problem(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(Problem {
            code: code.into(),
            message: message.into(),
        }),
    )
        .into_response()
}

fn internal(error: sqlx::Error) -> Response {
    tracing::error!(%error, "stand-in storage failed");
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "storage failed",
    )
}

async fn authenticate(
    State(sim): State<Sim>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let given = request
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok());
    if given != Some(&*sim.api_key) {
        return problem(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid X-Api-Key is needed",
        );
    }
    next.run(request).await
}

/// A request refused before it reaches the store.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: &'static str,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        problem(self.status, self.code, self.message)
    }
}

fn subscriber(id: &str) -> Result<SubscriberId, Refusal> {
    SubscriberId::parse(id).map_err(|_| Refusal {
        status: StatusCode::BAD_REQUEST,
        code: "bad_subscriber_id",
        message: "OO- and six digits",
    })
}

fn idempotency_key(headers: &HeaderMap) -> Result<String, Refusal> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .and_then(provider::model::IdempotencyKey::new)
        .map(|k| k.as_str().to_owned())
        .ok_or(Refusal {
            status: StatusCode::BAD_REQUEST,
            code: "idempotency_key_required",
            message: "changing calls need an Idempotency-Key of 16 to 100 characters",
        })
}

async fn provider_info() -> Response {
    Json(seed::provider_info()).into_response()
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

const PAGE_SIZE: i64 = 5;

async fn subscriber_data(
    State(sim): State<Sim>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let id = match subscriber(&id) {
        Ok(id) => id,
        Err(refusal) => return refusal.into_response(),
    };
    let offset = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(0);
    match sim.store.page(&id, offset, PAGE_SIZE).await {
        Ok(Some(page)) => Json(page).into_response(),
        Ok(None) => problem(StatusCode::NOT_FOUND, "not_found", "no such subscriber"),
        Err(error) => internal(error),
    }
}

/// Runs a changing call once per idempotency key: a repeated key gets the first answer again.
async fn once<F, Fut>(sim: &Sim, headers: &HeaderMap, apply: F) -> Response
where
    F: FnOnce(store::Effect) -> Fut,
    Fut: std::future::Future<Output = Result<(StatusCode, serde_json::Value), sqlx::Error>>,
{
    let key = match idempotency_key(headers) {
        Ok(key) => key,
        Err(refusal) => return refusal.into_response(),
    };
    let effect = match sim.store.begin_effect(&key).await {
        Ok(Ok(effect)) => effect,
        // Seen before: the first answer again, and nothing changes.
        Ok(Err((status, body))) => return (status, Json(body)).into_response(),
        Err(error) => return internal(error),
    };
    match apply(effect).await {
        Ok((status, body)) => (status, Json(body)).into_response(),
        Err(error) => internal(error),
    }
}

async fn correct_fields(
    State(sim): State<Sim>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(correction): Json<Correction>,
) -> Response {
    let id = match subscriber(&id) {
        Ok(id) => id,
        Err(refusal) => return refusal.into_response(),
    };
    once(&sim, &headers, |effect| async move {
        effect.correct(&id, &correction).await
    })
    .await
}

async fn erase(State(sim): State<Sim>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let id = match subscriber(&id) {
        Ok(id) => id,
        Err(refusal) => return refusal.into_response(),
    };
    once(
        &sim,
        &headers,
        |effect| async move { effect.erase(&id).await },
    )
    .await
}

async fn unlist(
    State(sim): State<Sim>,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Response {
    once(&sim, &headers, |effect| async move {
        effect.unlist(&number).await
    })
    .await
}

async fn purge_usage(
    State(sim): State<Sim>,
    headers: HeaderMap,
    Json(purge): Json<UsagePurge>,
) -> Response {
    let month = &purge.before_month;
    let valid = match month.split_once('-') {
        Some((year, number)) => {
            year.len() == 4
                && year.bytes().all(|b| b.is_ascii_digit())
                && number.len() == 2
                && number.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        }
        None => false,
    };
    if !valid {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_month",
            "before_month must be YYYY-MM",
        );
    }
    once(&sim, &headers, |effect| async move {
        effect.purge_usage(&purge.before_month).await
    })
    .await
}

async fn operation(State(sim): State<Sim>, Path(id): Path<String>) -> Response {
    match sim.store.operation(&id).await {
        Ok(Some(operation)) => Json(operation).into_response(),
        Ok(None) => problem(StatusCode::NOT_FOUND, "not_found", "no such operation"),
        Err(error) => internal(error),
    }
}

async fn set_faults(State(sim): State<Sim>, Json(faults): Json<Faults>) -> Response {
    *sim.faults.write().await = faults;
    StatusCode::NO_CONTENT.into_response()
}

/// How many times each idempotency key's effect was applied.
async fn effects(State(sim): State<Sim>) -> Response {
    match sim.store.effects().await {
        Ok(effects) => Json(effects.into_iter().collect::<BTreeMap<_, _>>()).into_response(),
        Err(error) => internal(error),
    }
}

/// How many times each idempotency key was sent again after its first answer.
async fn replays(State(sim): State<Sim>) -> Response {
    match sim.store.replays().await {
        Ok(replays) => Json(replays.into_iter().collect::<BTreeMap<_, _>>()).into_response(),
        Err(error) => internal(error),
    }
}

/// How many calls were failed on purpose so far.
async fn injected(State(sim): State<Sim>) -> Response {
    Json(sim.injected.load(std::sync::atomic::Ordering::Relaxed)).into_response()
}
