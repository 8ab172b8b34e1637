//! The end of "Mijn gegevens": what the holder corrected and who was told (Art. 19 GDPR), the
//! requests they filed and where each stands, and the rights that need no more than a click
//! (objecting to direct marketing) or a few words (a correction with a statement, a
//! restriction, an objection).

use crate::{
    api::my_data::{
        AccessView, CorrectionView, DirectMarketing, FileRequest, RequestView, ToldView, kind_label,
    },
    forms::{Field, FormError, LangField, error_of, reload_after},
    i18n::{tr, use_lang},
};
use domain::RequestKind;
use leptos::prelude::*;

#[component]
pub fn Corrections(corrections: Vec<CorrectionView>) -> impl IntoView {
    let lang = use_lang();
    let empty = corrections.is_empty();
    view! {
        <section class="history" id="corrections">
            <h2>{move || tr(lang.get(), "Correcties en wie het is verteld", "Corrections and who was told")}</h2>
            <p>{move || tr(lang.get(), "Wie je gegevens van ons ontving, vertellen we elke correctie (artikel 19 AVG). Hier zie je wie en wanneer.", "Everyone who received your data from us is told of each correction (Article 19 GDPR). Here you see who, and when.")}</p>
            {if empty {
                view! { <p class="empty">{move || tr(lang.get(), "Je hebt nog niets gecorrigeerd.", "You have not corrected anything yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="corrections">
                        {corrections.into_iter().map(|c| view! {
                            <li data-correction="">
                                <span class="when">{c.at}</span>" "<strong>{c.what}</strong>
                                <Recipients recipients=c.recipients />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The recipients of one correction or request, each with whether it was told.
#[component]
fn Recipients(recipients: Vec<ToldView>) -> impl IntoView {
    let lang = use_lang();
    if recipients.is_empty() {
        return view! {
            <p class="recipients">{move || tr(lang.get(), "Niemand buiten ons bedrijf ontving deze gegevens: er hoeft niemand te worden verteld.", "Nobody outside our company received this data: there is nobody to tell.")}</p>
        }.into_any();
    }
    view! {
        <ul class="recipients">
            {recipients.into_iter().map(|r| view! {
                <li data-told=if r.told { "yes" } else { "no" }>{r.recipient}": "{r.state}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn Requests(requests: Vec<RequestView>) -> impl IntoView {
    let lang = use_lang();
    let empty = requests.is_empty();
    view! {
        <section class="history" id="requests">
            <h2>{move || tr(lang.get(), "Je verzoeken", "Your requests")}</h2>
            {if empty {
                view! { <p class="empty">{move || tr(lang.get(), "Je hebt nog geen verzoeken ingediend.", "You have not filed any requests yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="requests">
                        {requests.into_iter().map(|r| view! {
                            <li data-request=r.id.to_string() data-open=if r.open { "yes" } else { "no" }>
                                <strong>{r.kind}</strong>" — "{r.status}" ("{r.received}")"
                                {r.concerns.map(|c| view! { <p class="concerns">{move || tr(lang.get(), "Betreft: ", "Concerns: ")}{c.clone()}</p> })}
                                <p class="statement">{r.statement}</p>
                                <Recipients recipients=r.recipients />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn Rights(
    objection: Option<String>,
    choices: Vec<(String, String)>,
    /// Counted up after each success, so the page shows what changed.
    saved: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="history" id="rights">
            <h2>{move || tr(lang.get(), "Bezwaar, beperking of aanvulling", "Object, restrict or add a statement")}</h2>
            <MarketingForm objection saved />
            <RequestForm choices saved />
        </section>
    }
}

/// Objecting to direct marketing: one click, no reason asked, in effect at once.
#[component]
fn MarketingForm(objection: Option<String>, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<DirectMarketing>::new();
    reload_after(action, saved);
    let error = error_of(action);
    let objecting = objection.is_some();
    let text = move || {
        match (&objection, lang.get()) {
        (Some(since), domain::Lang::Nl) => format!("Je hebt sinds {since} bezwaar gemaakt tegen direct marketing: je krijgt van ons geen aanbiedingen of nieuwsbrieven."),
        (Some(since), domain::Lang::En) => format!("You have objected to direct marketing since {since}: we send you no offers or newsletters."),
        (None, domain::Lang::Nl) => "We mogen je af en toe informeren over onze diensten (direct marketing). Daar kun je altijd bezwaar tegen maken, zonder reden; het gaat meteen in.".to_owned(),
        (None, domain::Lang::En) => "We may now and then tell you about our services (direct marketing). You can object to that at any time, without giving a reason; it takes effect at once.".to_owned(),
    }
    };
    view! {
        <h3>{move || tr(lang.get(), "Direct marketing", "Direct marketing")}</h3>
        <p data-marketing=if objecting { "objected" } else { "allowed" }>{text}</p>
        <ActionForm action=action attr:class="form inline">
            <LangField />
            <FormError error />
            <input type="hidden" name="object" value=if objecting { "false" } else { "true" } />
            <button type="submit">{move || if objecting {
                tr(lang.get(), "Ik wil weer nieuws ontvangen", "I want news again")
            } else {
                tr(lang.get(), "Geen direct marketing meer", "No more direct marketing")
            }}</button>
        </ActionForm>
    }
}

/// A request for staff with the holder's own words.
#[component]
fn RequestForm(choices: Vec<(String, String)>, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<FileRequest>::new();
    reload_after(action, saved);
    let error = error_of(action);
    let problem = move |field: &'static str| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .and_then(|e| e.problem_with(field))
                    .map(|p| view! { <p class="field-error" id=format!("field-{field}-error")>{p.message(lang.get())}</p> })
            })
        }
    };
    view! {
        <h3>{move || tr(lang.get(), "Een verzoek indienen", "File a request")}</h3>
        <p>{move || tr(lang.get(), "Kun je iets niet zelf corrigeren, of wil je je gegevens aanvullen met een verklaring? Wil je dat we je gegevens tijdelijk niet gebruiken (beperking), of maak je bezwaar tegen een verwerking? Schrijf het ons; een medewerker antwoordt binnen een maand.", "Is there something you cannot correct yourself, or do you want to complete your data with a statement? Do you want us to stop using your data for a while (restriction), or do you object to some processing? Write to us; a member of staff answers within a month.")}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <LangField />
            <FormError error />
            <div class="field">
                <label for="field-kind">{move || tr(lang.get(), "Soort verzoek", "Kind of request")}</label>
                {problem("kind")}
                <select id="field-kind" name="kind">
                    {RequestKind::FILED_WITH_STATEMENT.into_iter().map(|kind| view! {
                        <option value=kind.as_str()>{move || kind_label(kind, lang.get())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="field-category">{move || tr(lang.get(), "Over welke gegevens", "About which data")}</label>
                {problem("category")}
                <select id="field-category" name="category">
                    <option value="">{move || tr(lang.get(), "Al mijn gegevens", "All my data")}</option>
                    {choices.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                </select>
            </div>
            <Field name="details" label=("Je verklaring of toelichting", "Your statement or reason") multiline=true error />
            <button type="submit">{move || tr(lang.get(), "Verzoek indienen", "File the request")}</button>
        </ActionForm>
    }
}

/// Every time a staff member opened the holder's data, and why.
#[component]
pub fn StaffAccess(entries: Vec<AccessView>) -> impl IntoView {
    let lang = use_lang();
    let empty = entries.is_empty();
    view! {
        <section class="history" id="staff-access">
            <h2>{move || tr(lang.get(), "Wie van ons je gegevens inzag", "Who at our company viewed your data")}</h2>
            <p>{move || tr(lang.get(), "Een medewerker bekijkt je gegevens alleen om een verzoek van je af te handelen. Elke keer dat dat gebeurt, leggen we vast wie het was en wanneer; hier zie je het.", "A member of staff looks at your data only to handle a request of yours. Each time that happens we record who it was and when; you see it here.")}</p>
            {if empty {
                view! { <p class="empty">{move || tr(lang.get(), "Niemand van ons heeft je gegevens bekeken.", "Nobody at our company has viewed your data.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="staff-access">
                        {entries.into_iter().map(|a| {
                            let deleted = a.deleted_on.map(|day| view! {
                                <span class="kept">{move || tr(lang.get(), " — verwijderd op ", " — deleted on ")}{day}</span>
                            });
                            view! {
                                <li data-access="">{a.at}" — "{a.who}" — "{a.purpose}{deleted}</li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
