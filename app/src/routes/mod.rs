//! One file per page.

mod not_found;
mod policy;

pub use not_found::NotFound;
pub use policy::PolicyPage;

use domain::Lang;
use leptos::prelude::*;
use leptos_router::{components::Outlet, hooks::use_params_map};

/// The `/:lang` prefix: its pages for a known language, the 404 page for anything else.
#[component]
pub fn LangScope() -> impl IntoView {
    let params = use_params_map();
    let known = move || params.with(|p| p.get("lang").and_then(|c| Lang::from_code(&c)).is_some());
    view! {
        <Show when=known fallback=NotFound>
            <Outlet />
        </Show>
    }
}
