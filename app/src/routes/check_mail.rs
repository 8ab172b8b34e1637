use crate::{
    api::account::{ResendConfirmation, known_address},
    forms::{FormError, LangField, Notice, error_of},
    i18n::{tr, use_lang},
    layout::PageTitle,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// After registering or asking for a reset: the same words whether or not the address has an
/// account; after registering, the address it went to and a way to have it sent again.
#[component]
pub fn CheckMailPage() -> impl IntoView {
    let lang = use_lang();
    // After asking for a reset link the page says only that a mail may be on its way.
    let after_reset = use_query_map().with_untracked(|q| q.get("sent").as_deref() == Some("reset"));
    let address = Resource::new(
        || (),
        move |_| async move {
            if after_reset {
                Ok(None)
            } else {
                known_address().await
            }
        },
    );
    view! {
        <PageTitle nl="Kijk in je e-mail" en="Check your e-mail" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Kijk in je e-mail", "Check your e-mail")}</h1>
            <Notice />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match address.await.ok().flatten() {
                        Some(address) => view! { <SentTo address /> }.into_any(),
                        None => view! {
                            <p>{move || tr(lang.get(), "Als het adres klopt, staat er binnen een paar minuten een e-mail van ons in je inbox, met een link om verder te gaan. Zie je niets? Kijk dan ook bij ongewenste e-mail.", "If the address is right, an e-mail from us with a link to continue arrives in your inbox within a few minutes. Nothing there? Please check your spam folder too.")}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The address the confirmation went to, and sending it again.
#[component]
fn SentTo(address: String) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ResendConfirmation>::new();
    let error = error_of(action);
    view! {
        <p>
            {move || tr(lang.get(), "We hebben een e-mail gestuurd naar", "We sent an e-mail to")} " "
            <strong data-testid="sent-to">{address.clone()}</strong>
            {move || tr(lang.get(), ". Open de link erin om je account te bevestigen; hij werkt 24 uur.", ". Open the link in it to confirm your account; it works for 24 hours.")}
        </p>
        <p>{move || tr(lang.get(), "Zie je niets? Kijk dan ook bij ongewenste e-mail. Klopt het adres niet, maak dan opnieuw een account aan.", "Nothing there? Please check your spam folder too. Is the address wrong? Then create the account again.")}</p>
        <ActionForm action=action attr:class="form" attr:id="resend">
            <LangField />
            <FormError error />
            <button type="submit" class="secondary">{move || tr(lang.get(), "Stuur de e-mail opnieuw", "Send the e-mail again")}</button>
        </ActionForm>
    }
}
