//! Building and running the application.

use crate::{Config, downloads, health, links, middleware, workers::Workers};
use app::{App, context::AppContext, shell};
use axum::http::{HeaderValue, header};
use axum::{Router, extract::FromRef, routing::get};
use domain::{Clock, SystemClock};
use leptos::prelude::{LeptosOptions, provide_context};
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use std::{net::SocketAddr, sync::Arc};
use store::{Store, StoreError, session::Sessions};
use tokio::net::TcpListener;
use tower::Layer;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};
use workflows::{
    accounts::{Accounts, PasswordHasher, Site},
    consent::Consents,
    erasure::Erasures,
    export::Exports,
    my_data::MyData,
    provider_requests::ProviderRequests,
    requests::Requests,
    retention::Retention,
};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub accounts: Accounts,
    pub provider_requests: ProviderRequests,
    pub my_data: MyData,
    pub exports: Exports,
    pub erasures: Erasures,
    pub consents: Consents,
    pub requests: Requests,
    pub retention: Retention,
    pub metrics: crate::observe::Metrics,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, #[source] std::io::Error),
    #[error("the server stopped with an error: {0}")]
    Serve(#[source] std::io::Error),
    #[error(transparent)]
    Hashing(#[from] workflows::accounts::PasswordError),
    #[error("mail cannot be sent: {0}")]
    Mail(#[from] workflows::mail::MailError),
    #[error("the provider cannot be called: {0}")]
    Provider(#[from] provider::ProviderError),
    #[error("the TLS certificate or key cannot be used: {0}")]
    Tls(#[source] std::io::Error),
}

/// A bound, ready-to-run portal.
pub struct Application {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    workers: Workers,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
}

impl Application {
    /// Connects to the database (migrating it; a failed migration is fatal) and binds the
    /// listen address.
    pub async fn build(config: Config) -> Result<Self, StartError> {
        Self::build_with(config, Router::new()).await
    }

    /// Like [`Application::build`] with extra routes inside the same middleware (tests use it).
    pub async fn build_with(config: Config, extra: Router<AppState>) -> Result<Self, StartError> {
        tracing::info!(database = %config.database_url, "connecting to the database");
        let store = store::connect(&config.database_url).await?;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| StartError::Bind(config.listen, e))?;
        let address = listener
            .local_addr()
            .map_err(|e| StartError::Bind(config.listen, e))?;
        let tls = match &config.tls {
            Some(files) => {
                // Both rustls back-ends are in the tree (lettre brings ring): choose one.
                let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
                Some(
                    axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
                        .await
                        .map_err(StartError::Tls)?,
                )
            }
            None => None,
        };
        let leptos = LeptosOptions::builder()
            .output_name("portal")
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(address)
            .build();
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let accounts = accounts(&config, Arc::clone(&store), Arc::clone(&clock))?;
        let provider_requests = ProviderRequests::new(Arc::clone(&store), Arc::clone(&clock));
        // One client (and one circuit breaker) for the pages and the job runner.
        let metrics = crate::observe::Metrics::default();
        let provider = crate::workers::provider(&config, &metrics)?;
        let my_data = crate::workers::my_data(&config, &store, &provider, &clock);
        let exports = crate::workers::exports(&config, my_data.clone(), &provider);
        let erasures =
            crate::workers::erasures(&config, my_data.clone(), &provider, exports.clone());
        let consents = Consents::new(
            Arc::clone(&store),
            Arc::clone(&clock),
            Arc::clone(&config.cookies),
            config.is_https(),
        );
        let requests = Requests::new(
            Arc::clone(&store),
            Arc::clone(&clock),
            Arc::clone(&config.facts),
            site(&config),
            config.time_zone,
        );
        let retention = crate::workers::retention(&config, &store, &clock);
        let workers = Workers::new(&config, Arc::clone(&store), provider, clock)?;
        let state = AppState {
            leptos,
            store,
            config: Arc::new(config),
            accounts,
            provider_requests,
            my_data,
            exports,
            erasures,
            consents,
            requests,
            retention,
            metrics,
        };
        Ok(Self {
            listener,
            router: router(state, extra),
            address,
            workers,
            tls,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves (and runs the background work) until SIGTERM or Ctrl-C, then finishes the
    /// requests and the jobs in flight.
    pub async fn run_until_stopped(self) -> Result<(), StartError> {
        self.run_until(shutdown_signal()).await
    }

    /// Like [`Application::run_until_stopped`], stopping when `stop` completes (tests use it).
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartError> {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        tracing::info!("listening on {scheme}://{}", self.address);
        let workers = self.workers.start();
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        match self.tls {
            None => axum::serve(self.listener, service)
                .with_graceful_shutdown(stop)
                .await
                .map_err(StartError::Serve)?,
            Some(tls) => {
                let listener = self.listener.into_std().map_err(StartError::Serve)?;
                let handle = axum_server::Handle::new();
                let stopping = handle.clone();
                tokio::spawn(async move {
                    stop.await;
                    stopping.graceful_shutdown(Some(crate::workers::GRACE));
                });
                axum_server::from_tcp_rustls(listener, tls)
                    .handle(handle)
                    .serve(service)
                    .await
                    .map_err(StartError::Serve)?;
            }
        }
        // Whatever is not done yet waits in the database for the next start.
        workers.stop().await;
        Ok(())
    }
}

/// The account workflows, as the server and the CLI build them.
pub fn accounts(
    config: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> Result<Accounts, StartError> {
    Ok(
        Accounts::new(store, PasswordHasher::new()?, clock, site(config)).with_reauth_valid(
            chrono::Duration::from_std(config.session.reauth_valid)
                .unwrap_or(workflows::accounts::REAUTH_VALID),
        ),
    )
}

/// Where the portal is reached and whose it is, for links in mail.
pub fn site(config: &Config) -> Site {
    Site {
        public_url: config.public_url.clone(),
        organisation: config.facts.organisation.name.clone(),
    }
}

/// `portal migrate`: apply the migrations and report.
pub async fn migrate(config: &Config) -> Result<(), StartError> {
    let store = store::open(&config.database_url).await?;
    store.migrate().await?;
    store.close().await;
    tracing::info!(database = %config.database_url, "the database schema is up to date");
    Ok(())
}

fn router(state: AppState, extra: Router<AppState>) -> Router {
    let context = AppContext {
        facts: Arc::clone(&state.config.facts),
        accounts: state.accounts.clone(),
        provider_requests: state.provider_requests.clone(),
        my_data: state.my_data.clone(),
        exports: state.exports.clone(),
        erasures: state.erasures.clone(),
        consents: state.consents.clone(),
        requests: state.requests.clone(),
        retention: state.retention.clone(),
    };
    let provide = move || provide_context(context.clone());
    let leptos = state.leptos.clone();
    let site_root = state.config.site_root.clone();

    let routes = Router::new()
        .route("/", get(middleware::root_redirect))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(crate::observe::metrics))
        .route("/{lang}/link/confirm", get(links::confirm_address))
        .route("/{lang}/link/reset", get(links::reset_password))
        .route("/{lang}/link/email", get(links::confirm_email_change))
        .route("/schema/export-v1.json", get(downloads::schema))
        .route("/.well-known/gpc.json", get(crate::cookies::gpc_support))
        .route(
            "/{lang}/my-data/export/{id}/download",
            get(downloads::export),
        )
        .route_service(
            "/favicon.ico",
            (revalidated(), varies_by_encoding()).layer(
                ServeFile::new(site_root.join("favicon.ico"))
                    .precompressed_br()
                    .precompressed_gzip(),
            ),
        )
        .nest_service(
            "/pkg",
            (revalidated(), varies_by_encoding()).layer(
                ServeDir::new(site_root.join("pkg"))
                    .precompressed_br()
                    .precompressed_gzip(),
            ),
        )
        .leptos_routes_with_context(
            &state,
            generate_route_list(App),
            provide.clone(),
            move || shell(leptos.clone()),
        )
        .merge(extra)
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            provide, shell,
        ));
    let sessions = Sessions::new(
        Arc::clone(&state.store),
        Arc::new(SystemClock),
        chrono::Duration::from_std(state.config.session.absolute_lifetime)
            .unwrap_or(chrono::Duration::hours(12)),
    );
    middleware::wrap(routes, &state, sessions).with_state(state)
}

/// The site's static files (wasm, JS, CSS, favicon) hold nothing about anyone and keep their
/// names across builds: a browser may keep them but asks whether they changed (ETag). A release
/// build writes each also brotli- and gzip-compressed (`cargo leptos build --precompress`), and
/// those are sent to browsers that accept them; pages are not compressed (BREACH). Every
/// other response says `no-store` unless it says otherwise (middleware).
fn revalidated() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
}

/// The precompressed files differ by `Accept-Encoding`; a shared cache must know (ServeDir does
/// not say so itself).
fn varies_by_encoding() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::appending(header::VARY, HeaderValue::from_static("accept-encoding"))
}

pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
