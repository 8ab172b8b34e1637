use clap::{Parser, Subcommand};
use domain::Role;
use std::path::PathBuf;

/// The privacy portal.
#[derive(Debug, Parser)]
#[command(name = "portal", version, about)]
pub struct Cli {
    /// A TOML configuration file; `APP_*` environment variables override it.
    #[arg(long, env = "APP_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Run the background work (mail, provider jobs) without serving pages. Start as many as
    /// you like beside the servers: they share the queues.
    Worker,
    /// The job queue: list the jobs parked as dead, or queue one again.
    Jobs {
        #[command(subcommand)]
        action: JobsCommand,
    },
    /// Create the demo accounts listed in the README (refused in production).
    SeedDemo,
    /// Create a support or admin account. The password is asked on the terminal (or read as
    /// one line from standard input); it is never an argument, so it stays out of shell history.
    CreateStaff {
        /// support or admin
        #[arg(long)]
        role: Role,
        #[arg(long)]
        email: String,
        /// The language of the account's e-mails and pages: nl or en.
        #[arg(long, default_value = "nl")]
        language: String,
    },
}

#[derive(Debug, Clone, Subcommand, PartialEq, Eq)]
pub enum JobsCommand {
    /// List the jobs parked as dead: id, kind, attempts, when, last error.
    Dead,
    /// Queue a dead job again, with a fresh set of attempts.
    Retry { id: i64 },
}
