//! The parts every page shares: header with navigation and language switch, and footer.

use crate::{
    api::PublicFacts,
    i18n::{texts, use_lang},
    shell::FactsResource,
};
use domain::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use std::sync::Arc;

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let home = move || format!("/{}", lang.get());
    view! {
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href=home>
                    <WithFacts render=|facts| view! { <span class="brand-name">{facts.organisation}</span> } />
                    <span class="brand-portal">{move || t().portal}</span>
                </a>
                <nav aria-label=move || t().main_nav>
                    <ul class="nav-list">
                        <li>
                            <a href=home aria-current="page">{move || t().nav_policy}</a>
                        </li>
                    </ul>
                </nav>
                <LanguageSwitch />
            </div>
        </header>
    }
}

/// Links to the same page in each language; the current one is marked, not linked.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    view! {
        <nav class="lang-switch" aria-label=move || texts(lang.get()).language>
            <ul>
                {Lang::ALL
                    .into_iter()
                    .map(|option| {
                        let href = move || option.rebase_path(&location.pathname.get());
                        view! {
                            <li>
                                <Show
                                    when=move || lang.get() != option
                                    fallback=move || {
                                        view! {
                                            <span aria-current="true" lang=option.code()>
                                                {option.endonym()}
                                            </span>
                                        }
                                    }
                                >
                                    <a href=href hreflang=option.code() lang=option.code()>
                                        {option.endonym()}
                                    </a>
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <WithFacts render=move |facts| {
                    let t = move || texts(lang.get());
                    let mailto = format!("mailto:{}", facts.privacy_contact);
                    view! {
                        <p>
                            {move || t().footer_questions} " "
                            <a href=mailto>{facts.privacy_contact.to_string()}</a>
                        </p>
                        <p>
                            {move || t().complaint_intro} " "
                            <a href=facts.authority.complaint_url.to_string() rel="external">
                                {facts.authority.name.clone()} ": " {move || t().complaint_link}
                            </a>
                        </p>
                        <p class="footer-org">"© " {facts.organisation}</p>
                    }
                } />
                // Outside the facts, so nothing can make it vanish.
                <p>
                    <a id="cookie-settings-link" href=move || format!("/{}/cookies", lang.get().code())>
                        {move || texts(lang.get()).cookie_settings}
                    </a>
                </p>
            </div>
        </footer>
    }
}

/// Renders `render` with the client's facts once they are loaded (at once on the server,
/// whose pages wait for them), or a short notice if they could not be loaded.
#[component]
pub fn WithFacts<F, IV>(render: F) -> impl IntoView
where
    F: Fn(PublicFacts) -> IV + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let facts = expect_context::<FactsResource>();
    let lang = use_lang();
    let render = Arc::new(render);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let render = Arc::clone(&render);
                Suspend::new(async move {
                    match facts.await {
                        Ok(facts) => render(facts).into_any(),
                        Err(_) => {
                            view! { <span class="load-failed">{texts(lang.get_untracked()).load_failed}</span> }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// The document title of a page, in the current language; the frame adds the portal's name.
///
/// On the server the words are chosen when the page is built, not when leptos_meta writes the
/// `<title>`: it does so after the page has rendered, and a closure reading the language there
/// panicked now and then under concurrent load ("reactive value already disposed"), turning a
/// page into a 500. In the browser the title follows a change of language.
#[component]
pub fn PageTitle(nl: &'static str, en: &'static str) -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    let text = crate::i18n::tr(lang.get_untracked(), nl, en);
    #[cfg(not(feature = "ssr"))]
    let text = move || crate::i18n::tr(lang.get(), nl, en);
    view! { <leptos_meta::Title text /> }
}

/// "{page} · {portal}" for every title, chosen like [`PageTitle`]'s words.
#[component]
pub fn TitleFormat() -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    let formatter = {
        let portal = texts(lang.get_untracked()).portal;
        move |page: String| format!("{page} · {portal}")
    };
    #[cfg(not(feature = "ssr"))]
    let formatter = move |page: String| format!("{page} · {}", texts(lang.get()).portal);
    view! { <leptos_meta::Title formatter /> }
}
