//! `provider-sim`: the stand-in Operator Online, for local runs and demos.

use clap::Parser;
use provider_sim::{Faults, SimConfig, spawn};
use std::{net::SocketAddr, process::ExitCode};

/// A stand-in for the wholesale provider's back office (Operator Online).
#[derive(Debug, Parser)]
#[command(name = "provider-sim", version, about)]
struct Args {
    #[arg(long, env = "PROVIDER_SIM_LISTEN", default_value = "127.0.0.1:3100")]
    listen: SocketAddr,
    #[arg(
        long,
        env = "PROVIDER_SIM_DATABASE_URL",
        default_value = "sqlite://data/provider-sim.db"
    )]
    database_url: String,
    /// The key the portal must send as X-Api-Key.
    #[arg(long, env = "PROVIDER_SIM_API_KEY")]
    api_key: String,
    /// Seed the subscribers behind `portal seed-demo`'s customers.
    #[arg(long)]
    seed_demo: bool,
    /// Milliseconds added to every call.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of calls (0 to 1) that fail (500, 503, 429, hang, reset, lost answer).
    #[arg(long, default_value_t = 0.0)]
    fail_share: f64,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().with_target(false).init();
    let args = Args::parse();
    let config = SimConfig {
        database_url: args.database_url,
        api_key: args.api_key,
        faults: Faults {
            latency_ms: args.latency_ms,
            fail_share: args.fail_share,
            ..Faults::default()
        },
        seed_demo: args.seed_demo,
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("provider-sim: cannot listen on {}: {error}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    match spawn(listener, &config).await {
        Ok(sim) => {
            tracing::info!("provider-sim listening on {}", sim.url());
            stopped().await;
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("provider-sim: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C, or SIGTERM (as `make run` stops it).
async fn stopped() {
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
