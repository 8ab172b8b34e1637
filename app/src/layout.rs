//! The parts every page shares: header with navigation and language switch, and footer.

use crate::{
    api::{
        AppError, PublicFacts,
        account::{AccountView, me},
    },
    i18n::{texts, tr, use_lang},
    routes::SignOutForm,
    shell::FactsResource,
};
use domain::{Lang, Role};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use std::sync::Arc;

/// Who is signed in, read once per page (the header and the pages share it).
#[derive(Clone, Copy)]
pub struct MeResource(pub Resource<Result<Option<AccountView>, AppError>>);

/// Reads who is signed in again at every page, so the header follows a sign-in or sign-out.
pub fn provide_me() {
    let location = use_location();
    provide_context(MeResource(Resource::new(
        move || location.pathname.get(),
        |_| me(),
    )));
}

/// One link of the header's navigation.
struct NavLink {
    path: &'static str,
    words: (&'static str, &'static str),
}

const SIGNED_OUT: [NavLink; 3] = [
    NavLink {
        path: "",
        words: ("Privacybeleid", "Privacy policy"),
    },
    NavLink {
        path: "sign-in",
        words: ("Inloggen", "Sign in"),
    },
    NavLink {
        path: "register",
        words: ("Account aanmaken", "Create an account"),
    },
];

const CUSTOMER: [NavLink; 3] = [
    NavLink {
        path: "my-data",
        words: ("Mijn gegevens", "My data"),
    },
    NavLink {
        path: "requests",
        words: ("Mijn verzoeken", "My requests"),
    },
    NavLink {
        path: "account",
        words: ("Mijn account", "My account"),
    },
];

const SUPPORT: [NavLink; 1] = [NavLink {
    path: "admin",
    words: ("Wachtrij", "Queue"),
}];

const ADMIN: [NavLink; 5] = [
    NavLink {
        path: "admin",
        words: ("Wachtrij", "Queue"),
    },
    NavLink {
        path: "admin/staff",
        words: ("Medewerkers", "Staff"),
    },
    NavLink {
        path: "admin/audit",
        words: ("Auditlog", "Audit log"),
    },
    NavLink {
        path: "admin/retention",
        words: ("Bewaartermijnen", "Retention"),
    },
    NavLink {
        path: "admin/analytics",
        words: ("Bezoekcijfers", "Page views"),
    },
];

/// The links for who is signed in: a customer's own pages, and for staff the desk's.
fn links_for(me: Option<&AccountView>) -> Vec<&'static NavLink> {
    match me.map(|m| m.role) {
        None => SIGNED_OUT.iter().collect(),
        Some(Role::Customer) => CUSTOMER.iter().collect(),
        Some(Role::Support) => SUPPORT.iter().chain(CUSTOMER.iter().skip(2)).collect(),
        Some(Role::Admin) => ADMIN.iter().chain(CUSTOMER.iter().skip(2)).collect(),
    }
}

/// The link of `links` that the page at `path` belongs to: the same address, or the longest
/// one the address continues (a request's page belongs to "Mijn verzoeken").
fn current_of(links: &[&NavLink], lang: Lang, path: &str) -> Option<&'static str> {
    links
        .iter()
        .map(|link| (link.path, href(lang, link.path)))
        .filter(|(_, href)| {
            path == href || (href.len() > 3 && path.starts_with(&format!("{href}/")))
        })
        .max_by_key(|(_, href)| href.len())
        .map(|(p, _)| p)
}

fn href(lang: Lang, path: &str) -> String {
    if path.is_empty() {
        format!("/{}", lang.code())
    } else {
        format!("/{}/{path}", lang.code())
    }
}

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
                <details class="menu" id="site-menu">
                    <summary>{move || tr(lang.get(), "Menu", "Menu")}</summary>
                    <nav aria-label=move || t().main_nav>
                        <Navigation />
                    </nav>
                </details>
                <LanguageSwitch />
            </div>
        </header>
    }
}

/// The header's links for whoever is signed in (or nobody), the current one marked, and the
/// signed-in person's name with a way to sign out.
#[component]
fn Navigation() -> impl IntoView {
    let lang = use_lang();
    let me = expect_context::<MeResource>().0;
    let location = use_location();
    let links = move |account: Option<AccountView>| {
        let lang = lang.get();
        let path = location.pathname.get();
        let links = links_for(account.as_ref());
        let current = current_of(&links, lang, &path);
        let items = links
            .into_iter()
            .map(|link| {
                let here = current == Some(link.path);
                view! {
                    <li>
                        <a href=href(lang, link.path) aria-current=here.then_some("page")>
                            {tr(lang, link.words.0, link.words.1)}
                        </a>
                    </li>
                }
            })
            .collect_view();
        let person = account.map(|account| {
            view! {
                <li class="nav-person">
                    <span class="nav-name">{account.name.unwrap_or(account.email)}</span>
                    <SignOutForm />
                </li>
            }
        });
        view! { <ul class="nav-list">{items}{person}</ul> }
    };
    view! {
        <Suspense fallback=move || links(None)>
            {move || Suspend::new(async move {
                // Not knowing who this is (the database is away) shows the signed-out links.
                links(me.await.ok().flatten())
            })}
        </Suspense>
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

/// A table that may be wider than a phone: it scrolls sideways inside a labelled region the
/// keyboard can reach, and the page itself never does.
#[component]
pub fn TableRegion(label: (&'static str, &'static str), children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=move || tr(lang.get(), label.0, label.1)>
            {children()}
        </div>
    }
}
