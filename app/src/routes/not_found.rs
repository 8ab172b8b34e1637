use crate::i18n::{texts, use_lang};
use crate::layout::PageTitle;
use domain::Lang;
use leptos::prelude::*;

/// The page for addresses that name nothing: status 404, in the visitor's language.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    let t = move || texts(lang.get());
    view! {
        <PageTitle nl=texts(Lang::Nl).not_found_title en=texts(Lang::En).not_found_title />
        <article class="narrow not-found">
            <h1>{move || t().not_found_title}</h1>
            <p>{move || t().not_found_body}</p>
            <p>
                <a class="button" href=move || format!("/{}", lang.get())>
                    {move || t().not_found_home}
                </a>
            </p>
        </article>
    }
}
