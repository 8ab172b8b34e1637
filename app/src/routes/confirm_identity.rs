use super::SignedIn;
use crate::layout::PageTitle;
use crate::{
    api::account::ConfirmIdentity,
    forms::{Field, FormError, LangField, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The step-up page: the password again (and the code where two-step sign-in is on) before a
/// sensitive action; then back to the page that asked (`?next=`).
#[component]
pub fn ConfirmIdentityPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <PageTitle nl="Bevestig dat jij het bent" en="Confirm it is you" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Bevestig dat jij het bent", "Confirm it is you")}</h1>
            <p>{move || tr(lang.get(), "Voor deze actie vragen we je wachtwoord opnieuw. Daarna heb je 10 minuten.", "For this action we ask for your password again. After that you have 10 minutes.")}</p>
            <SignedIn render=|me| view! { <ConfirmForm two_step=me.two_step /> } />
        </section>
    }
}

#[component]
fn ConfirmForm(two_step: bool) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let next = move || {
        query
            .with(|q| q.get("next"))
            .unwrap_or_else(|| format!("/{}/account", lang.get().code()))
    };
    let action = ServerAction::<ConfirmIdentity>::new();
    let error = error_of(action);
    view! {
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <LangField />
            <input type="hidden" name="next" value=next />
            <FormError error />
            <Field name="password" kind="password" autocomplete="current-password" label=("Wachtwoord", "Password") error />
            {two_step.then(|| view! {
                <Field name="code" autocomplete="one-time-code" inputmode="numeric" label=("Code uit je app", "Code from your app") error />
            })}
            <button type="submit">{move || tr(lang.get(), "Bevestigen", "Confirm")}</button>
        </ActionForm>
    }
    .into_any()
}
