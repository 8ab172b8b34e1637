//! The `portal` server: configuration, start-up, middleware and the command line.
//!
//! `main.rs` only parses the command line; everything else is here so black-box tests in
//! `tests/` can start the real application on port 0 with a fresh database.

pub mod cli;
pub mod client;
pub mod config;
mod cookies;
pub mod create_staff;
mod downloads;
mod forgery;
mod form_errors;
mod health;
pub mod jobs_cli;
pub mod links;
mod middleware;
pub mod observe;
pub mod seed_demo;
pub mod startup;
pub mod workers;

pub use config::{Config, ConfigError, LogFormat};
/// The cookies a request carries, as the consent reader and the session layer see them (fuzzed).
pub use cookies::sent_cookies;
pub use startup::{AppState, Application, StartError};
