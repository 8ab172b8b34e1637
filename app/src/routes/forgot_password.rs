use crate::layout::PageTitle;
use crate::{
    api::account::ForgotPassword,
    forms::{Field, FormError, LangField, Notice, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ForgotPassword>::new();
    let error = error_of(action);
    view! {
        <PageTitle nl="Wachtwoord vergeten" en="Forgot your password" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Wachtwoord vergeten", "Forgot your password")}</h1>
            <Notice />
            <p>{move || tr(lang.get(), "Vul het e-mailadres van je account in. We sturen je een link waarmee je binnen 30 minuten een nieuw wachtwoord instelt.", "Enter your account's e-mail address. We send you a link to set a new password within 30 minutes.")}</p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <LangField />
                <FormError error />
                <Field name="email" kind="email" autocomplete="email" label=("E-mailadres", "E-mail address") error />
                <button type="submit">{move || tr(lang.get(), "Stuur de link", "Send the link")}</button>
            </ActionForm>
        </section>
    }
}
