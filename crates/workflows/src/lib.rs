//! The rights workflows (access, rectification, erasure, restriction, objection, disclosure),
//! accounts, and the jobs that carry them out. Knows the store and provider traits, never Leptos
//! or axum.

pub mod accounts;
pub mod consent;
pub mod erasure;
pub mod export;
pub mod jobs;
pub mod mail;
pub mod my_data;
pub mod provider_requests;
pub mod requests;
pub mod retention;
