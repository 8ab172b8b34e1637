//! "Cookie-instellingen": the visitor's choice per category (as easy to change as the first
//! one), and the cookie statement generated from the registry.

use crate::layout::PageTitle;
use crate::{
    api::consent::{CookieCategoryView, CookieStatementView, cookie_statement},
    consent::{ChoiceForm, choose_action, use_consent},
    forms::{FormError, LangField, Notice, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn CookiesPage() -> impl IntoView {
    let lang = use_lang();
    let statement = Resource::new(
        move || lang.get(),
        |lang| cookie_statement(lang.code().into()),
    );
    view! {
        <PageTitle nl="Cookie-instellingen" en="Cookie settings" />
        <section class="narrow cookies">
            <h1>{move || tr(lang.get(), "Cookie-instellingen", "Cookie settings")}</h1>
            <Notice />
            <Settings />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match statement.await {
                        Ok(statement) => view! { <Statement statement /> }.into_any(),
                        Err(_) => view! { <p class="load-failed">{tr(lang.get_untracked(), "De cookieverklaring kon niet worden geladen.", "The cookie statement could not be loaded.")}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <Gpc />
        </section>
    }
}

/// A switch per category, none ticked before a first choice; technical always on.
#[component]
fn Settings() -> impl IntoView {
    let lang = use_lang();
    let state = use_consent();
    let action = choose_action();
    let error = error_of(action);
    let ticked = move |pick: fn(domain::Choice) -> bool| {
        move || state.with(|s| s.choice.is_some() && pick(s.effective))
    };
    view! {
        <h2 id="settings">{move || tr(lang.get(), "Je keuze", "Your choice")}</h2>
        {move || state.with(|s| s.gpc).then(|| view! {
            <p class="notice" id="gpc-honoured">{tr(lang.get(),
                "Je browser stuurt Global Privacy Control: analytische en commerciële cookies staan uit, tenzij je ze hier zelf aanzet.",
                "Your browser sends Global Privacy Control: analytical and commercial cookies are off unless you switch them on here yourself.")}</p>
        })}
        <ActionForm action=action attr:class="form consent-settings">
            <LangField />
            <FormError error />
            <input type="hidden" name="answer" value="save" />
            <input type="hidden" name="method" value="settings" />
            <fieldset>
                <legend>{move || tr(lang.get(), "Welke cookies sta je toe?", "Which cookies do you allow?")}</legend>
                <Switch category=domain::Category::Technical checked=Signal::derive(|| true) />
                <Switch category=domain::Category::Functional checked=Signal::derive(ticked(|c| c.functional)) />
                <Switch category=domain::Category::Analytical checked=Signal::derive(ticked(|c| c.analytical)) />
                <Switch category=domain::Category::Commercial checked=Signal::derive(ticked(|c| c.commercial)) />
            </fieldset>
            <button type="submit" class="choice" id="cookies-save">{move || tr(lang.get(), "Keuze opslaan", "Save my choice")}</button>
        </ActionForm>
        <div class="consent-choices">
            <ChoiceForm action answer="accept" method="settings" id="settings-accept" label=("Alles accepteren", "Accept all") />
            <ChoiceForm action answer="reject" method="settings" id="settings-reject" label=("Alles weigeren", "Reject all") />
        </div>
    }
}

#[component]
fn Switch(category: domain::Category, checked: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let id = format!("cookie-{}", category.as_str());
    let hint = format!("{id}-hint");
    let technical = category == domain::Category::Technical;
    view! {
        <div class="switch">
            <input
                type="checkbox"
                id=id.clone()
                name=(!technical).then_some(category.as_str())
                prop:checked=move || checked.get()
                checked=move || checked.get()
                disabled=technical
                aria-describedby=hint.clone()
            />
            <label for=id>
                {move || category.name(lang.get())}
                {technical.then(|| view! { " " <span class="always">{move || tr(lang.get(), "(altijd aan)", "(always on)")}</span> })}
            </label>
            <p class="field-hint" id=hint>{move || category.explanation(lang.get())}</p>
        </div>
    }
}

#[component]
fn Statement(statement: CookieStatementView) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2 id="statement">{move || tr(lang.get(), "Cookieverklaring", "Cookie statement")}</h2>
        <p class="statement-version">
            {move || tr(lang.get(), "Versie ", "Version ")}
            <span id="statement-version">{statement.version.clone()}</span>
            {move || tr(lang.get(),
                ". Alles wat dit portaal in je browser kan bewaren staat hieronder; iets anders plaatsen we niet. Verandert de lijst, dan vragen we je keuze opnieuw.",
                ". Everything this portal can store in your browser is listed below; we set nothing else. When the list changes, we ask for your choice again.")}
        </p>
        {statement.categories.into_iter().map(|c| view! { <StatementCategory category=c /> }).collect_view()}
    }
}

#[component]
fn StatementCategory(category: CookieCategoryView) -> impl IntoView {
    let lang = use_lang();
    let id = format!("statement-{}", category.id);
    let heading = format!("{id}-title");
    let empty = category.items.is_empty();
    view! {
        <section class="statement-category" id=id.clone() data-category=category.id.clone()>
            <h3 id=heading.clone()>{category.name.clone()}</h3>
            <p>{category.explanation.clone()}</p>
            {if empty {
                view! { <p class="none">{move || tr(lang.get(), "Geen.", "None.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-labelledby=heading.clone() tabindex="0">
                        <table class="cookie-table">
                            <thead>
                                <tr>
                                    <th scope="col">{move || tr(lang.get(), "Naam", "Name")}</th>
                                    <th scope="col">{move || tr(lang.get(), "Waarvoor", "What for")}</th>
                                    <th scope="col">{move || tr(lang.get(), "Bewaard", "Kept for")}</th>
                                    <th scope="col">{move || tr(lang.get(), "Geplaatst door", "Set by")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {category.items.into_iter().map(|item| { let name = item.name.clone(); view! {
                                    <tr data-cookie=name>
                                        <th scope="row"><code>{item.name}</code> " (" {item.storage} ")"</th>
                                        <td>{item.purpose}</td>
                                        <td>{item.lifetime}</td>
                                        <td>{item.party}</td>
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// How the Global Privacy Control signal is treated (the policy says the same).
#[component]
fn Gpc() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2 id="gpc">"Global Privacy Control"</h2>
        <p>{move || crate::consent::gpc_policy(lang.get())}</p>
    }
}
