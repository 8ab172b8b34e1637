use crate::layout::PageTitle;
use crate::{
    api::account::SignInCode,
    forms::{Field, FormError, LangField, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn SignInCodePage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SignInCode>::new();
    let error = error_of(action);
    view! {
        <PageTitle nl="Code invullen" en="Enter your code" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Code invullen", "Enter your code")}</h1>
            <p>{move || tr(lang.get(), "Vul de code van 6 cijfers in die je authenticator-app nu toont.", "Enter the 6-digit code your authenticator app shows now.")}</p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <LangField />
                <FormError error />
                <Field name="code" autocomplete="one-time-code" inputmode="numeric" label=("Code", "Code") error />
                <button type="submit">{move || tr(lang.get(), "Verder", "Continue")}</button>
            </ActionForm>
        </section>
    }
}
