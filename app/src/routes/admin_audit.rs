//! The audit trail for admins: who did what, when, about which account.

use super::AdminOnly;
use crate::layout::PageTitle;
use crate::layout::TableRegion;
use crate::{
    api::requests::audit_log,
    i18n::{tr, use_lang},
};
use domain::Lang;
use leptos::prelude::*;

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let events = Resource::new(move || lang.get(), |lang| audit_log(lang.code().to_owned()));
    let (nl, en) = ("Auditlog", "Audit log");
    let title = move || tr(lang.get(), nl, en);
    view! {
        <PageTitle nl en />
        <section class="wide">
            <h1>{title}</h1>
            <AdminOnly render=move |_| {
                view! {
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let rows = events.await.unwrap_or_default();
                            view! {
                                <TableRegion label=("Auditlog", "Audit log")>
                                <table class="audit" id="audit">
                                    <thead><tr>
                                        <th scope="col">{move || tr(lang.get(), "Wanneer", "When")}</th>
                                        <th scope="col">{move || tr(lang.get(), "Wie", "Who")}</th>
                                        <th scope="col">{move || tr(lang.get(), "Wat", "What")}</th>
                                        <th scope="col">{move || tr(lang.get(), "Over", "About")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|e| { let action = e.action.clone(); view! {
                                            <tr data-action=action>
                                                <td>{e.at}</td><td>{move || actor_label(&e.actor, lang.get())}</td><td>{move || action_label(&e.action, lang.get())}</td><td>{e.subject}</td>
                                            </tr>
                                        }}).collect_view()}
                                    </tbody>
                                </table>
                                </TableRegion>
                            }
                        })}
                    </Suspense>
                }
            } />
        </section>
    }
}

/// Who did it, in words.
fn actor_label(actor: &str, lang: Lang) -> &'static str {
    match actor {
        "customer" => tr(lang, "Klant", "Customer"),
        "staff" => tr(lang, "Medewerker", "Staff"),
        "admin" => tr(lang, "Beheerder", "Admin"),
        _ => tr(lang, "Systeem", "System"),
    }
}

/// What an audit event records, in words; a kind without words yet is shown as it is stored.
pub(crate) fn action_label(action: &str, lang: Lang) -> String {
    let (nl, en) = match action {
        "account.registered" => ("Account aangemaakt", "Account created"),
        "account.registration_repeated" => (
            "Opnieuw geregistreerd met een bekend adres",
            "Registered again with a known address",
        ),
        "account.confirmed" => ("E-mailadres bevestigd", "E-mail address confirmed"),
        "account.confirmation_resent" => (
            "Bevestigingslink opnieuw gestuurd",
            "Confirmation link sent again",
        ),
        "demo.account_created" => ("Demo-account aangemaakt", "Demo account created"),
        "email.change_requested" => (
            "Nieuw e-mailadres aangevraagd",
            "New e-mail address asked for",
        ),
        "email.changed" => ("E-mailadres gewijzigd", "E-mail address changed"),
        "password.changed" => ("Wachtwoord gewijzigd", "Password changed"),
        "password.reset_requested" => ("Nieuw wachtwoord aangevraagd", "Password reset asked for"),
        "password.reset" => ("Nieuw wachtwoord ingesteld", "New password set"),
        "sessions.ended_others" => (
            "Uitgelogd op andere apparaten",
            "Signed out on other devices",
        ),
        "sign_in.failed" => ("Inloggen mislukt", "Sign-in failed"),
        "sign_in.password_ok" => (
            "Wachtwoord goed, code gevraagd",
            "Password right, code asked for",
        ),
        "sign_in.succeeded" => ("Ingelogd", "Signed in"),
        "sign_in.totp_setup_required" => (
            "Inloggen in twee stappen moet worden ingesteld",
            "Two-step sign-in must be set up",
        ),
        "totp.enabled" => (
            "Inloggen in twee stappen aangezet",
            "Two-step sign-in turned on",
        ),
        "totp.disabled" => (
            "Inloggen in twee stappen uitgezet",
            "Two-step sign-in turned off",
        ),
        "staff.created.support" => ("Supportmedewerker aangemaakt", "Support account created"),
        "staff.created.admin" => ("Beheerder aangemaakt", "Admin account created"),
        "profile.corrected" => ("Gegevens gecorrigeerd", "Data corrected"),
        "provider.correction_requested" => (
            "Correctie bij de leverancier aangevraagd",
            "Correction at the provider asked for",
        ),
        "provider.unlist_requested" => (
            "Uit de telefoongids laten halen",
            "Removal from the directory asked for",
        ),
        "marketing.objected" => (
            "Bezwaar tegen direct marketing",
            "Objected to direct marketing",
        ),
        "marketing.objection_withdrawn" => (
            "Bezwaar tegen direct marketing ingetrokken",
            "Objection to direct marketing withdrawn",
        ),
        "erasure.requested" => (
            "Verwijdering van het account aangevraagd",
            "Account deletion asked for",
        ),
        "erasure.cancelled" => ("Verwijdering ingetrokken", "Deletion called off"),
        "erasure.portal_erased" => (
            "Gegevens in het portaal gewist",
            "Data in the portal erased",
        ),
        "erasure.completed" => ("Verwijdering voltooid", "Deletion complete"),
        "retention.purged" => (
            "Opschoonronde volgens de bewaartermijnen",
            "Retention purge run",
        ),
        "request.reply" => ("Verzoek: antwoord gestuurd", "Request: answer sent"),
        "request.info-requested" => (
            "Verzoek: om informatie gevraagd",
            "Request: information asked for",
        ),
        "request.extended" => ("Verzoek: termijn verlengd", "Request: deadline extended"),
        "request.completed" => ("Verzoek afgehandeld", "Request handled"),
        "request.refused" => ("Verzoek afgewezen", "Request refused"),
        other => return other.to_owned(),
    };
    tr(lang, nl, en).to_owned()
}
