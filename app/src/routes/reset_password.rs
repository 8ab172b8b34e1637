use crate::layout::PageTitle;
use crate::{
    api::account::ResetPassword,
    forms::{Field, FormError, LangField, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ResetPassword>::new();
    let error = error_of(action);
    let forgot = move || format!("/{}/forgot-password", lang.get().code());
    view! {
        <PageTitle nl="Nieuw wachtwoord" en="New password" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Nieuw wachtwoord instellen", "Set a new password")}</h1>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <LangField />
                <FormError error />
                <Field
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    label=("Nieuw wachtwoord", "New password")
                    hint=("Minstens 8 tekens. Een zin van een paar losse woorden is sterk en makkelijk te onthouden.", "At least 8 characters. A phrase of a few unrelated words is strong and easy to remember.")
                    error
                />
                <button type="submit">{move || tr(lang.get(), "Wachtwoord instellen", "Set password")}</button>
            </ActionForm>
            <p><a href=forgot>{move || tr(lang.get(), "Een nieuwe link aanvragen", "Ask for a new link")}</a></p>
        </section>
    }
}
