use super::SignedIn;
use crate::layout::PageTitle;
use crate::{
    api::account::{AccountView, ChangeEmail, ChangePassword, DisableTwoStep, SignOut},
    forms::{Field, FormError, LangField, Notice, error_of},
    i18n::{tr, use_lang},
};
use domain::Role;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <PageTitle nl="Mijn account" en="My account" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Mijn account", "My account")}</h1>
            <Notice />
            <SignedIn render=|me| view! { <AccountSections me /> } />
        </section>
    }
}

#[component]
fn AccountSections(me: AccountView) -> impl IntoView {
    let lang = use_lang();
    let page = move |p: &str| format!("/{}/{p}", lang.get().code());
    let role = move || match (me.role, lang.get()) {
        (Role::Customer, l) => tr(l, "klant", "customer"),
        (Role::Support, l) => tr(l, "support", "support"),
        (Role::Admin, l) => tr(l, "beheerder", "admin"),
    };
    let is_admin = me.role == Role::Admin;
    view! {
        {(me.first_session && me.role == Role::Customer).then(|| view! { <Welcome /> })}
        <dl class="facts">
            <dt>{move || tr(lang.get(), "E-mailadres", "E-mail address")}</dt>
            <dd data-testid="account-email">{me.email.clone()}</dd>
            <dt>{move || tr(lang.get(), "Rol", "Role")}</dt>
            <dd>{role}</dd>
        </dl>
        <nav class="account-links">
            <ul>
                <li><a href=move || page("my-data")>{move || tr(lang.get(), "Mijn gegevens", "My data")}</a></li>
                <li><a href=move || page("my-data/export")>{move || tr(lang.get(), "Download je gegevens", "Download your data")}</a></li>
                <li><a href=move || page("requests")>{move || tr(lang.get(), "Mijn verzoeken", "My requests")}</a></li>
                {me.role.is_staff().then(|| view! { <li><a href=move || page("admin")>{move || tr(lang.get(), "Verzoeken afhandelen", "Work requests")}</a></li> })}
                {(me.role == Role::Customer).then(|| view! { <li><a href=move || page("account/provider")>{move || tr(lang.get(), "Gegevens bij onze leverancier", "Data at our provider")}</a></li> })}
                <li><a href=move || page("account/sessions")>{move || tr(lang.get(), "Waar ben ik ingelogd?", "Where am I signed in?")}</a></li>
                {is_admin.then(|| view! { <li><a href=move || page("admin/staff")>{move || tr(lang.get(), "Medewerkers beheren", "Manage staff")}</a></li> })}
                {is_admin.then(|| view! { <li><a href=move || page("admin/analytics")>{move || tr(lang.get(), "Bezoekcijfers", "Page views")}</a></li> })}
                {is_admin.then(|| view! { <li><a href=move || page("admin/audit")>{move || tr(lang.get(), "Auditlog", "Audit log")}</a></li> })}
                {is_admin.then(|| view! { <li><a href=move || page("admin/retention")>{move || tr(lang.get(), "Bewaartermijnen: opschoonrondes", "Retention: purge runs")}</a></li> })}
            </ul>
        </nav>
        <ChangePasswordForm />
        <ChangeEmailForm recent=me.recently_authenticated />
        <TwoStepSection on=me.two_step staff=me.role.is_staff() recent=me.recently_authenticated />
    }
    .into_any()
}

/// The start for a new customer, in the session of the first sign-in: what the portal does for
/// them, and the first steps.
#[component]
fn Welcome() -> impl IntoView {
    let lang = use_lang();
    let page = move |p: &str| format!("/{}/{p}", lang.get().code());
    let step = move |path: &'static str,
                     title: (&'static str, &'static str),
                     what: (&'static str, &'static str)| {
        view! {
            <li>
                <a href=move || page(path)><strong>{move || tr(lang.get(), title.0, title.1)}</strong></a>
                <br />
                {move || tr(lang.get(), what.0, what.1)}
            </li>
        }
    };
    view! {
        <section class="notice notice-info welcome" id="welcome" aria-labelledby="welcome-title">
            <h2 id="welcome-title">{move || tr(lang.get(), "Welkom bij je privacyportaal", "Welcome to your privacy portal")}</h2>
            <p>{move || tr(lang.get(),
                "Hier zie je welke gegevens we over jou en je bedrijf bewaren, ook die bij onze leverancier Operator Online, en regel je zelf wat je ermee wilt. Je hoeft niemand te mailen of te bellen.",
                "Here you see which data we keep about you and your company, including what our provider Operator Online holds, and you decide yourself what happens to it. No need to e-mail or call anyone.")}</p>
            <ol class="first-steps">
                {step("my-data", ("Bekijk je gegevens", "See your data"), ("Alles wat we bewaren, per soort, met waarom en hoe lang. Klopt er iets niet, dan corrigeer je het daar.", "Everything we keep, by kind, with why and for how long. Something wrong? Correct it there."))}
                {step("my-data/export", ("Download een kopie", "Download a copy"), ("Al je gegevens in één ZIP-bestand, leesbaar voor mensen en voor programma's.", "All your data in one ZIP file, readable by people and by programs."))}
                {step("cookies", ("Kies je cookies", "Choose your cookies"), ("Alleen noodzakelijke cookies, tenzij jij iets anders kiest; je wijzigt je keuze wanneer je wilt.", "Only necessary cookies unless you choose otherwise; change your choice whenever you like."))}
                {step("my-data/delete", ("Laat je account verwijderen", "Have your account deleted"), ("Wanneer je wilt, met een bevestiging per e-mail van wat er is gewist.", "Whenever you like, with a confirmation by e-mail of what was erased."))}
            </ol>
        </section>
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ChangePassword>::new();
    let error = error_of(action);
    view! {
        <h2>{move || tr(lang.get(), "Wachtwoord wijzigen", "Change password")}</h2>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <LangField />
            <FormError error />
            <Field name="current" kind="password" autocomplete="current-password" label=("Huidig wachtwoord", "Current password") error />
            <Field name="password" kind="password" autocomplete="new-password" label=("Nieuw wachtwoord", "New password") hint=("Minstens 8 tekens. Je wordt op andere apparaten uitgelogd.", "At least 8 characters. You will be signed out on other devices.") error />
            <button type="submit">{move || tr(lang.get(), "Wachtwoord wijzigen", "Change password")}</button>
        </ActionForm>
    }
    .into_any()
}

/// A link to confirm who you are, coming back here.
#[component]
fn ConfirmFirst() -> impl IntoView {
    let lang = use_lang();
    let href = move || {
        let code = lang.get().code();
        format!("/{code}/account/confirm-identity?next=/{code}/account")
    };
    view! {
        <p>
            {move || tr(lang.get(), "Hiervoor vragen we eerst je wachtwoord opnieuw.", "For this we ask for your password again first.")} " "
            <a href=href>{move || tr(lang.get(), "Bevestig dat jij het bent", "Confirm it is you")}</a>
        </p>
    }
}

#[component]
fn ChangeEmailForm(recent: bool) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ChangeEmail>::new();
    let error = error_of(action);
    view! {
        <h2>{move || tr(lang.get(), "E-mailadres wijzigen", "Change e-mail address")}</h2>
        {if recent {
            view! {
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <LangField />
                    <FormError error />
                    <Field name="email" kind="email" autocomplete="email" label=("Nieuw e-mailadres", "New e-mail address") hint=("We sturen een bevestigingslink naar het nieuwe adres.", "We send a confirmation link to the new address.") error />
                    <button type="submit">{move || tr(lang.get(), "Stuur bevestigingslink", "Send confirmation link")}</button>
                </ActionForm>
            }
            .into_any()
        } else {
            view! { <ConfirmFirst /> }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn TwoStepSection(on: bool, staff: bool, recent: bool) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<DisableTwoStep>::new();
    let error = error_of(action);
    let setup = move || format!("/{}/account/two-step", lang.get().code());
    view! {
        <h2>{move || tr(lang.get(), "Inloggen in twee stappen", "Two-step sign-in")}</h2>
        {match (on, staff, recent) {
            (false, _, _) => view! {
                <p>{move || tr(lang.get(), "Staat uit. Met een code uit een authenticator-app is je account beter beschermd.", "Off. A code from an authenticator app protects your account better.")}</p>
                <p><a href=setup>{move || tr(lang.get(), "Instellen", "Set up")}</a></p>
            }.into_any(),
            (true, true, _) => view! {
                <p>{move || tr(lang.get(), "Staat aan (verplicht voor medewerkers).", "On (required for staff).")}</p>
            }.into_any(),
            (true, false, false) => view! {
                <p>{move || tr(lang.get(), "Staat aan.", "On.")}</p>
                <ConfirmFirst />
            }.into_any(),
            (true, false, true) => view! {
                <p>{move || tr(lang.get(), "Staat aan.", "On.")}</p>
                <ActionForm action=action attr:class="form">
                    <LangField />
                    <FormError error />
                    <button type="submit" class="secondary">{move || tr(lang.get(), "Uitzetten", "Turn off")}</button>
                </ActionForm>
            }.into_any(),
        }}
    }
    .into_any()
}

#[component]
pub fn SignOutForm() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action=action attr:class="form sign-out">
            <LangField />
            <button type="submit" class="secondary">{move || tr(lang.get(), "Uitloggen", "Sign out")}</button>
        </ActionForm>
    }
}
