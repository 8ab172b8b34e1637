//! Server functions: thin, one per action; they fetch a service from context and call it.

pub mod account;
pub mod consent;
pub mod erasure;
mod error;
pub mod export;
pub mod my_data;
pub mod provider;
mod public_facts;
pub mod requests;
pub mod retention;

pub use error::{AppError, FieldError, Problem};
pub use my_data::CategoryView;
pub use public_facts::{PublicFacts, get_public_facts};
