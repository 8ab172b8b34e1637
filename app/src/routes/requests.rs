//! "Mijn verzoeken": every request with its kind, where it stands, its deadline and history; a
//! request's thread with staff, where the holder adds information or withdraws it; and the
//! form to file a request that needs a person.

use super::SignedIn;
use crate::layout::PageTitle;
use crate::layout::TableRegion;
use crate::{
    api::{
        AppError,
        my_data::{FileRequest, kind_label},
        requests::{
            AddMessage, CancelRequest, EventView, RequestItem, ThreadView, my_request, my_requests,
        },
    },
    forms::{Field, FormError, LangField, Notice, error_of, reload_after},
    i18n::{tr, use_lang},
};
use domain::{Lang, RequestKind};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RequestsPage() -> impl IntoView {
    let lang = use_lang();
    let saved = RwSignal::new(0u32);
    let list = Resource::new(
        move || (lang.get(), saved.get()),
        |(lang, _)| my_requests(lang.code().to_owned()),
    );
    let (nl, en) = ("Mijn verzoeken", "My requests");
    let title = move || tr(lang.get(), nl, en);
    view! {
        <PageTitle nl en />
        <section class="wide">
            <h1>{title}</h1>
            <Notice />
            <p>{move || tr(lang.get(),
                "Elk verzoek over je gegevens, met waar het staat en wanneer we uiterlijk antwoorden: binnen een maand na ontvangst (artikel 12 AVG). Een download, een correctie of het verwijderen van je account regel je zelf; die staan hier ook.",
                "Every request about your data, where it stands and the day we answer by at the latest: within a month of receipt (Article 12 GDPR). A download, a correction or deleting your account you do yourself; they are listed here too.")}</p>
            <SignedIn render=move |_| view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match list.await {
                            Ok(items) => view! { <RequestList items /> }.into_any(),
                            Err(_) => view! { <p role="alert">{move || tr(lang.get(), "Je verzoeken kunnen nu niet worden getoond.", "Your requests cannot be shown now.")}</p> }.into_any(),
                        }
                    })}
                </Suspense>
                <NewRequest saved />
            } />
        </section>
    }
}

#[component]
fn RequestList(items: Vec<RequestItem>) -> impl IntoView {
    let lang = use_lang();
    if items.is_empty() {
        return view! { <p class="empty">{move || tr(lang.get(), "Je hebt nog geen verzoeken ingediend.", "You have not filed any requests yet.")}</p> }.into_any();
    }
    view! {
        <TableRegion label=("Je verzoeken", "Your requests")>
        <table class="requests" id="my-requests">
            <thead><tr>
                <th scope="col">{move || tr(lang.get(), "Verzoek", "Request")}</th>
                <th scope="col">{move || tr(lang.get(), "Ontvangen", "Received")}</th>
                <th scope="col">{move || tr(lang.get(), "Stand", "Status")}</th>
                <th scope="col">{move || tr(lang.get(), "Uiterlijk beantwoord op", "Answered by")}</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|r| {
                    let href = move || format!("/{}/requests/{}", lang.get().code(), r.id);
                    let due = due_text(&r);
                    view! {
                        <tr data-request=r.id.to_string() data-stage=r.stage.clone()>
                            <td><a href=href>{move || format!("{} {}", kind_label(r.kind, lang.get()), r.id)}</a></td>
                            <td>{r.received.clone()}</td>
                            <td>{let stage = r.stage.clone(); move || stage_label(&stage, lang.get())}</td>
                            <td class="due">{due}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </TableRegion>
    }
    .into_any()
}

/// The request id in the address (`/requests/:id`); 0, which no request has, when unreadable.
pub(crate) fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    }
}

/// The deadline in words: the day, or that the clock stands still, or nothing once closed.
pub(crate) fn due_text(r: &RequestItem) -> impl Fn() -> String + Send + Sync + use<> {
    let lang = use_lang();
    let (due, stage, open, overdue) = (r.due.clone(), r.stage.clone(), r.open, r.overdue);
    move || match (open, stage.as_str(), overdue, lang.get()) {
        (false, _, _, _) => "—".to_owned(),
        (true, "waiting", _, Lang::Nl) => "staat stil tot je antwoordt".to_owned(),
        (true, "waiting", _, Lang::En) => "stands still until you answer".to_owned(),
        (true, _, true, Lang::Nl) => format!("{due} (verstreken)"),
        (true, _, true, Lang::En) => format!("{due} (passed)"),
        (true, _, false, _) => due.clone(),
    }
}

pub(crate) fn stage_label(stage: &str, lang: Lang) -> &'static str {
    match stage {
        "open" => tr(lang, "In behandeling", "Being handled"),
        "waiting" => tr(lang, "Wacht op jouw antwoord", "Waiting for your answer"),
        "completed" => tr(lang, "Afgehandeld", "Handled"),
        "refused" => tr(lang, "Afgewezen", "Refused"),
        "cancelled" => tr(lang, "Ingetrokken", "Withdrawn"),
        _ => tr(lang, "Afgesloten", "Closed"),
    }
}

pub(crate) fn event_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "message" => tr(lang, "Bericht van de indiener", "Message from the person"),
        "reply" => tr(lang, "Antwoord van een medewerker", "Answer from staff"),
        "info-requested" => tr(
            lang,
            "Gevraagd om informatie (de termijn staat stil)",
            "Information asked for (the deadline stands still)",
        ),
        "extended" => tr(lang, "Termijn verlengd", "Deadline extended"),
        "completed" => tr(lang, "Afgehandeld", "Handled"),
        "refused" => tr(lang, "Afgewezen", "Refused"),
        "cancelled" => tr(lang, "Ingetrokken", "Withdrawn"),
        "assigned" => tr(
            lang,
            "In behandeling genomen door een medewerker",
            "Taken on by a member of staff",
        ),
        "unassigned" => tr(lang, "Teruggelegd", "Put back"),
        _ => tr(lang, "Stap", "Step"),
    }
}

/// A request's history, oldest first, starting with what the person wrote.
#[component]
pub(crate) fn History(thread: ThreadView) -> impl IntoView {
    let lang = use_lang();
    let received = thread.item.received.clone();
    view! {
        <ol class="thread" id="thread">
            <li data-event="filed" data-author="holder">
                <p class="meta">{received}" — "{move || tr(lang.get(), "Ingediend", "Filed")}</p>
                <p class="body">{thread.details}</p>
            </li>
            {thread.events.into_iter().map(|e: EventView| {
                let kind = e.kind.clone();
                view! {
                    <li data-event=e.kind.clone() data-author=e.author.clone()>
                        <p class="meta">{e.at}" — "{move || event_label(&kind, lang.get())}</p>
                        {(!e.body.is_empty()).then(|| view! { <p class="body">{e.body}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// Filing a request that needs a person, with the holder's own words.
#[component]
fn NewRequest(saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<FileRequest>::new();
    reload_after(action, saved);
    let error = error_of(action);
    let problem = move |field: &'static str| {
        move || {
            error.with(|e| e.as_ref().and_then(|e| e.problem_with(field)).map(|p| view! { <p class="field-error" id=format!("field-{field}-error")>{p.message(lang.get())}</p> }))
        }
    };
    view! {
        <h2>{move || tr(lang.get(), "Een nieuw verzoek", "A new request")}</h2>
        <p>{move || tr(lang.get(),
            "Wil je weten wie onze externe leverancier is, of welke subverwerkers die inschakelt? Heb je een vraag, tip of klacht, of wil je een correctie, beperking of bezwaar? Schrijf het ons.",
            "Do you want to know who our external provider is, or which sub-processors it uses? Do you have a question, tip or complaint, or do you want a correction, restriction or objection? Write to us.")}</p>
        <ActionForm action=action attr:class="form" attr:id="new-request" attr:novalidate=true>
            <LangField />
            <input type="hidden" name="from" value="requests" />
            <FormError error />
            <div class="field">
                <label for="field-kind">{move || tr(lang.get(), "Soort verzoek", "Kind of request")}</label>
                {problem("kind")}
                <select id="field-kind" name="kind">
                    {RequestKind::FILED_FROM_PORTAL.into_iter().map(|kind| view! {
                        <option value=kind.as_str()>{move || kind_label(kind, lang.get())}</option>
                    }).collect_view()}
                </select>
            </div>
            <Field name="details" label=("Je vraag of toelichting", "Your question or explanation") multiline=true error />
            <button type="submit">{move || tr(lang.get(), "Verzoek indienen", "File the request")}</button>
        </ActionForm>
    }
}

#[component]
pub fn RequestPage() -> impl IntoView {
    let lang = use_lang();
    let id = id_param();
    let saved = RwSignal::new(0u32);
    let thread = Resource::new(
        move || (lang.get(), id(), saved.get()),
        |(lang, id, _)| my_request(lang.code().to_owned(), id),
    );
    view! {
        <PageTitle nl="Je verzoek" en="Your request" />
        <section class="wide">
            <p><a href=move || format!("/{}/requests", lang.get().code())>{move || tr(lang.get(), "← Mijn verzoeken", "← My requests")}</a></p>
            <Notice />
            <SignedIn render=move |_| view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match thread.await {
                            Ok(thread) => view! { <Request thread saved /> }.into_any(),
                            Err(AppError::NotFound) => view! {
                                <h1>{move || tr(lang.get(), "Verzoek niet gevonden", "Request not found")}</h1>
                                <p role="alert">{move || tr(lang.get(), "Dit verzoek bestaat niet, of het is niet van jou.", "This request does not exist, or it is not yours.")}</p>
                            }.into_any(),
                            Err(_) => view! { <p role="alert">{move || tr(lang.get(), "Je verzoek kan nu niet worden getoond.", "Your request cannot be shown now.")}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            } />
        </section>
    }
}

#[component]
fn Request(thread: ThreadView, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let item = thread.item.clone();
    let kind = item.kind;
    let stage = item.stage.clone();
    let stage_attr = stage.clone();
    let due = due_text(&item);
    let id = item.id;
    view! {
        <h1>{move || format!("{} {}", kind_label(kind, lang.get()), id)}</h1>
        <dl class="facts" id="request-facts">
            <dt>{move || tr(lang.get(), "Stand", "Status")}</dt>
            <dd id="request-stage" data-stage=stage_attr>{move || stage_label(&stage, lang.get())}</dd>
            <dt>{move || tr(lang.get(), "Ontvangen", "Received")}</dt>
            <dd>{item.received.clone()}</dd>
            <dt>{move || tr(lang.get(), "Uiterlijk beantwoord op", "Answered by")}</dt>
            <dd id="request-due">{due}</dd>
        </dl>
        {(item.extended_months > 0).then(|| view! {
            <p class="notice-inline">{move || tr(lang.get(),
                "We hebben de termijn verlengd; de reden staat hieronder. Een verlenging kan met hooguit twee maanden (artikel 12, lid 3, AVG).",
                "We extended the deadline; the reason is below. An extension can be at most two months (Article 12(3) GDPR).")}</p>
        })}
        <History thread=thread.clone() />
        {item.open.then(|| view! { <Reply id=item.id saved /> })}
    }
}

/// Adding information, and withdrawing, while the request is open.
#[component]
fn Reply(id: i64, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let message = ServerAction::<AddMessage>::new();
    let cancel = ServerAction::<CancelRequest>::new();
    reload_after(message, saved);
    reload_after(cancel, saved);
    let error = error_of(message);
    let cancel_error = error_of(cancel);
    view! {
        <h2>{move || tr(lang.get(), "Informatie toevoegen", "Add information")}</h2>
        <ActionForm action=message attr:class="form" attr:id="add-message" attr:novalidate=true>
            <LangField />
            <input type="hidden" name="id" value=id.to_string() />
            <FormError error />
            <Field name="body" label=("Je bericht", "Your message") multiline=true error />
            <button type="submit">{move || tr(lang.get(), "Versturen", "Send")}</button>
        </ActionForm>
        <h2>{move || tr(lang.get(), "Verzoek intrekken", "Withdraw the request")}</h2>
        <ActionForm action=cancel attr:class="form inline" attr:id="cancel-request">
            <LangField />
            <input type="hidden" name="id" value=id.to_string() />
            <FormError error=cancel_error />
            <button type="submit" class="secondary">{move || tr(lang.get(), "Intrekken", "Withdraw")}</button>
        </ActionForm>
    }
}
