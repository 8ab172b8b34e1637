use crate::layout::PageTitle;
use crate::{
    api::account::{SignIn, known_address},
    forms::{Field, FormError, LangField, Notice, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SignIn>::new();
    let error = error_of(action);
    let known = Resource::new(|| (), |_| known_address());
    let link = move |page: &str| format!("/{}/{page}", lang.get().code());
    view! {
        <PageTitle nl="Inloggen" en="Sign in" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Inloggen", "Sign in")}</h1>
            <Notice />
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <LangField />
                <FormError error />
                // The address just registered or confirmed in this browser, if any.
                <Suspense fallback=move || view! { <Field name="email" kind="email" autocomplete="username" label=("E-mailadres", "E-mail address") error /> }>
                    {move || Suspend::new(async move {
                        let value = known.await.ok().flatten();
                        view! { <Field name="email" kind="email" autocomplete="username" label=("E-mailadres", "E-mail address") value=value.unwrap_or_default() error /> }
                    })}
                </Suspense>
                <Field name="password" kind="password" autocomplete="current-password" label=("Wachtwoord", "Password") error />
                <button type="submit">{move || tr(lang.get(), "Inloggen", "Sign in")}</button>
            </ActionForm>
            <p>
                <a href=move || link("forgot-password")>{move || tr(lang.get(), "Wachtwoord vergeten?", "Forgot your password?")}</a>
            </p>
            <p>
                {move || tr(lang.get(), "Nog geen account?", "No account yet?")} " "
                <a href=move || link("register")>{move || tr(lang.get(), "Account aanmaken", "Create an account")}</a>
            </p>
        </section>
    }
}
