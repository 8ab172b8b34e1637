use clap::Parser;
use server::{
    Application, Config, LogFormat,
    cli::{Cli, Command, JobsCommand},
};
use std::process::ExitCode;
use tracing_subscriber::{EnvFilter, fmt};

/// mimalloc instead of glibc's malloc: rendering a page allocates a lot of small strings (a
/// third of the portal's time went to glibc's malloc under load), and glibc kept each blocking
/// thread's arena after a 19 MiB argon2 hash, so a sign-in storm left hundreds of MB resident.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("portal: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    match config.log_format {
        LogFormat::Text => fmt().with_env_filter(filter).with_target(false).init(),
        LogFormat::Json => fmt()
            .json()
            .with_env_filter(filter)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("portal: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome: Result<(), String> = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => match Application::build(config).await {
                Ok(app) => app.run_until_stopped().await.map_err(|e| e.to_string()),
                Err(error) => Err(error.to_string()),
            },
            Command::Worker => server::workers::run(&config)
                .await
                .map_err(|e| e.to_string()),
            Command::Migrate => server::startup::migrate(&config)
                .await
                .map_err(|e| e.to_string()),
            Command::Jobs { action } => match action {
                JobsCommand::Dead => server::jobs_cli::dead(&config).await,
                JobsCommand::Retry { id } => server::jobs_cli::retry(&config, id).await,
            }
            .map_err(|e| e.to_string()),
            Command::SeedDemo => server::seed_demo::run(&config)
                .await
                .map_err(|e| e.to_string()),
            Command::CreateStaff {
                role,
                email,
                language,
            } => server::create_staff::run(&config, role, &email, &language)
                .await
                .map_err(|e| e.to_string()),
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("portal: {error}");
            ExitCode::FAILURE
        }
    }
}
