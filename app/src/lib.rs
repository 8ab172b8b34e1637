//! The portal's user interface.
//!
//! Rendered on the server (`ssr`) and hydrated in the browser (`hydrate`); every page works
//! without JavaScript. Server-only code sits behind `#[cfg(feature = "ssr")]`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod consent;
mod forms;
pub mod i18n;
mod layout;
pub mod policy;
mod routes;
mod shell;

#[cfg(feature = "ssr")]
pub mod context;

pub use forms::FormFlash;
pub use shell::{App, shell};

/// The browser's entry point: attaches the server-rendered page to the wasm app.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
