use crate::i18n::{tr, use_lang};
use crate::layout::PageTitle;
use leptos::prelude::*;

/// After registering or asking for a reset: the same words whether or not the address has an
/// account.
#[component]
pub fn CheckMailPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <PageTitle nl="Kijk in je e-mail" en="Check your e-mail" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Kijk in je e-mail", "Check your e-mail")}</h1>
            <p>{move || tr(lang.get(), "Als het adres klopt, staat er binnen een paar minuten een e-mail van ons in je inbox, met een link om verder te gaan. Zie je niets? Kijk dan ook bij ongewenste e-mail.", "If the address is right, an e-mail from us with a link to continue arrives in your inbox within a few minutes. Nothing there? Please check your spam folder too.")}</p>
        </section>
    }
}
