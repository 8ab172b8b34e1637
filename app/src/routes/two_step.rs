use crate::layout::PageTitle;
use crate::{
    api::account::{EnableTwoStep, two_step_setup},
    forms::{Field, FormError, LangField, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Setting up two-step sign-in: scan the QR code (or type the key), then prove it with a code.
#[component]
pub fn TwoStepPage() -> impl IntoView {
    let lang = use_lang();
    let setup = Resource::new(|| (), |_| two_step_setup());
    let action = ServerAction::<EnableTwoStep>::new();
    let error = error_of(action);
    view! {
        <PageTitle nl="Inloggen in twee stappen" en="Two-step sign-in" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Inloggen in twee stappen instellen", "Set up two-step sign-in")}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match setup.await {
                        Ok(Some(setup)) => view! {
                            {setup.required.then(|| view! {
                                <p class="notice" role="status">{move || tr(lang.get(), "Medewerkers loggen altijd in twee stappen in. Stel het nu in om verder te gaan.", "Staff always sign in in two steps. Set it up now to continue.")}</p>
                            })}
                            <ol class="steps">
                                <li>{move || tr(lang.get(), "Open je authenticator-app en scan deze QR-code.", "Open your authenticator app and scan this QR code.")}</li>
                            </ol>
                            <div class="qr" inner_html=setup.qr_svg></div>
                            <p>
                                {move || tr(lang.get(), "Kun je niet scannen? Typ dan deze sleutel in:", "Cannot scan? Type in this key instead:")} " "
                                <code data-testid="totp-secret">{setup.secret}</code>
                            </p>
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <LangField />
                                <FormError error />
                                <Field name="code" autocomplete="one-time-code" inputmode="numeric" label=("Code uit de app", "Code from the app") error />
                                <button type="submit">{move || tr(lang.get(), "Aanzetten", "Turn on")}</button>
                            </ActionForm>
                        }.into_any(),
                        Ok(None) => {
                            let to = format!("/{}/account", lang.get_untracked().code());
                            view! { <Redirect path=to /> }.into_any()
                        }
                        Err(_) => {
                            let to = format!("/{}/sign-in", lang.get_untracked().code());
                            view! { <Redirect path=to /> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
