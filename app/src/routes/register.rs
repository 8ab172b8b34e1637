use crate::layout::PageTitle;
use crate::{
    api::account::Register,
    forms::{Field, FormError, LangField, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<Register>::new();
    let error = error_of(action);
    view! {
        <PageTitle nl="Account aanmaken" en="Create an account" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Account aanmaken", "Create an account")}</h1>
            <p>{move || tr(lang.get(), "Met een account zie, verbeter, download en verwijder je je gegevens. We sturen je een link om je e-mailadres te bevestigen.", "With an account you see, correct, download and delete your data. We send you a link to confirm your e-mail address.")}</p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <LangField />
                <FormError error />
                <Field name="email" kind="email" autocomplete="email" label=("E-mailadres", "E-mail address") error />
                <Field
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    label=("Wachtwoord", "Password")
                    hint=("Minstens 8 tekens. Een zin van een paar losse woorden is sterk en makkelijk te onthouden; plakken uit een wachtwoordmanager mag.", "At least 8 characters. A phrase of a few unrelated words is strong and easy to remember; pasting from a password manager is fine.")
                    error
                />
                <button type="submit">{move || tr(lang.get(), "Account aanmaken", "Create account")}</button>
            </ActionForm>
        </section>
    }
}
