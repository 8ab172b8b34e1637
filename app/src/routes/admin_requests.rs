//! The support staff's view: the queue of requests with its dashboard and filters, sorted by
//! deadline; a request with the person's data, the thread, the provider jobs and the actions.

use super::{
    SignedIn,
    requests::{History, due_text, stage_label},
};
use crate::layout::PageTitle;
use crate::layout::TableRegion;
use crate::{
    api::{
        AppError,
        my_data::kind_label,
        requests::{
            AdminAnswerDisclosure, AdminAskInfo, AdminAssign, AdminComplete, AdminExtend,
            AdminRefuse, AdminReply, AdminRequestView, AdminRetryJob, QueueView, admin_queue,
            admin_request,
        },
    },
    forms::{Field, FormError, LangField, Notice, error_of, reload_after},
    i18n::{tr, use_lang},
};
use domain::RequestKind;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn QueuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |key: &str| query.with(|q| q.get(key).unwrap_or_default());
    let queue = Resource::new(
        move || {
            (
                lang.get(),
                get("kind"),
                get("status"),
                get("overdue"),
                get("due_soon"),
                get("mine"),
            )
        },
        |(lang, kind, status, overdue, due_soon, mine)| {
            admin_queue(
                lang.code().to_owned(),
                kind,
                status,
                overdue,
                due_soon,
                mine,
            )
        },
    );
    let (nl, en) = ("Verzoeken", "Requests");
    let title = move || tr(lang.get(), nl, en);
    view! {
        <PageTitle nl en />
        <section class="wide">
            <h1>{title}</h1>
            <SignedIn render=move |me| {
                if !me.role.is_staff() {
                    return view! { <p>{move || tr(lang.get(), "Alleen medewerkers zien deze pagina.", "Only staff see this page.")}</p> }.into_any();
                }
                view! {
                    <Filters />
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            match queue.await {
                                Ok(view) => view! { <Queue view /> }.into_any(),
                                Err(_) => view! { <p role="alert">{move || tr(lang.get(), "De verzoeken kunnen nu niet worden getoond.", "The requests cannot be shown now.")}</p> }.into_any(),
                            }
                        })}
                    </Suspense>
                }.into_any()
            } />
        </section>
    }
}

/// The filters: a plain GET form, so the address holds them and they work without JavaScript.
#[component]
fn Filters() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let has = move |key: &'static str| query.with(|q| q.get(key).is_some_and(|v| !v.is_empty()));
    let is = move |key: &'static str, value: &'static str| {
        query.with(|q| q.get(key).unwrap_or_default() == value)
    };
    view! {
        <form method="get" class="form filters" id="queue-filters">
            <div class="field">
                <label for="filter-kind">{move || tr(lang.get(), "Soort", "Kind")}</label>
                <select id="filter-kind" name="kind">
                    <option value="">{move || tr(lang.get(), "Alle soorten", "All kinds")}</option>
                    {RequestKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.as_str() selected=move || is("kind", kind.as_str())>{move || kind_label(kind, lang.get())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">{move || tr(lang.get(), "Stand", "Status")}</label>
                <select id="filter-status" name="status">
                    <option value="open" selected=move || is("status", "open")>{move || tr(lang.get(), "Open (ook wachtend)", "Open (waiting too)")}</option>
                    <option value="waiting" selected=move || is("status", "waiting")>{move || tr(lang.get(), "Wacht op de indiener", "Waiting for the person")}</option>
                    <option value="closed" selected=move || is("status", "closed")>{move || tr(lang.get(), "Afgesloten", "Closed")}</option>
                    <option value="all" selected=move || is("status", "all")>{move || tr(lang.get(), "Alle", "All")}</option>
                </select>
            </div>
            <label class="check"><input type="checkbox" name="overdue" value="1" checked=move || has("overdue") />{move || tr(lang.get(), "Verlopen", "Overdue")}</label>
            <label class="check"><input type="checkbox" name="due_soon" value="1" checked=move || has("due_soon") />{move || tr(lang.get(), "Binnen 7 dagen", "Due within 7 days")}</label>
            <label class="check"><input type="checkbox" name="mine" value="1" checked=move || has("mine") />{move || tr(lang.get(), "Aan mij toegewezen", "Assigned to me")}</label>
            <button type="submit">{move || tr(lang.get(), "Filteren", "Filter")}</button>
        </form>
    }
}

#[component]
fn Queue(view: QueueView) -> impl IntoView {
    let lang = use_lang();
    let d = view.dashboard;
    view! {
        <dl class="dashboard" id="dashboard">
            <div><dt>{move || tr(lang.get(), "Open", "Open")}</dt><dd id="dash-open">{d.open}</dd></div>
            <div><dt>{move || tr(lang.get(), "Wacht op indiener", "Waiting")}</dt><dd id="dash-waiting">{d.waiting}</dd></div>
            <div><dt>{move || tr(lang.get(), "Binnen 7 dagen", "Due soon")}</dt><dd id="dash-due-soon">{d.due_soon}</dd></div>
            <div><dt>{move || tr(lang.get(), "Verlopen", "Overdue")}</dt><dd id="dash-overdue">{d.overdue}</dd></div>
            <div><dt>{move || tr(lang.get(), "Geparkeerde taken", "Parked jobs")}</dt><dd id="dash-parked">{d.parked_jobs}</dd></div>
        </dl>
        {if view.items.is_empty() {
            view! { <p class="empty">{move || tr(lang.get(), "Geen verzoeken met deze filters.", "No requests with these filters.")}</p> }.into_any()
        } else {
            view! {
                <TableRegion label=("Verzoeken", "Requests")>
                <table class="requests" id="queue">
                    <thead><tr>
                        <th scope="col">{move || tr(lang.get(), "Verzoek", "Request")}</th>
                        <th scope="col">{move || tr(lang.get(), "Stand", "Status")}</th>
                        <th scope="col">{move || tr(lang.get(), "Uiterlijk", "Due")}</th>
                        <th scope="col">{move || tr(lang.get(), "Dagen", "Days")}</th>
                        <th scope="col">{move || tr(lang.get(), "Behandelaar", "Handler")}</th>
                    </tr></thead>
                    <tbody>
                        {view.items.into_iter().map(|r| {
                            let href = move || format!("/{}/admin/requests/{}", lang.get().code(), r.id);
                            let stage = r.stage.clone();
                            let due = due_text(&r);
                            let handler = match (r.mine, r.assigned) {
                                (true, _) => ("ik", "me"),
                                (false, true) => ("collega", "a colleague"),
                                _ => ("—", "—"),
                            };
                            view! {
                                <tr data-request=r.id.to_string() data-stage=r.stage.clone() class:overdue=r.overdue>
                                    <td><a href=href>{move || format!("{} {}", kind_label(r.kind, lang.get()), r.id)}</a></td>
                                    <td>{move || stage_label(&stage, lang.get())}</td>
                                    <td class="due">{due}</td>
                                    <td>{r.open.then_some(r.days_left)}</td>
                                    <td>{move || tr(lang.get(), handler.0, handler.1)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </TableRegion>
            }.into_any()
        }}
    }
}

#[component]
pub fn AdminRequestPage() -> impl IntoView {
    let lang = use_lang();
    let id = super::requests::id_param();
    let saved = RwSignal::new(0u32);
    let request = Resource::new(
        move || (lang.get(), id(), saved.get()),
        |(lang, id, _)| admin_request(lang.code().to_owned(), id),
    );
    view! {
        <PageTitle nl="Verzoek" en="Request" />
        <section class="wide">
            <p><a href=move || format!("/{}/admin", lang.get().code())>{move || tr(lang.get(), "← Alle verzoeken", "← All requests")}</a></p>
            <Notice />
            <SignedIn render=move |_| view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match request.await {
                            Ok(view) => view! { <Work view saved /> }.into_any(),
                            Err(AppError::NotFound) => view! { <p role="alert">{move || tr(lang.get(), "Dit verzoek bestaat niet.", "This request does not exist.")}</p> }.into_any(),
                            Err(AppError::Forbidden) => view! { <p>{move || tr(lang.get(), "Alleen medewerkers zien deze pagina.", "Only staff see this page.")}</p> }.into_any(),
                            Err(_) => view! { <p role="alert">{move || tr(lang.get(), "Dit verzoek kan nu niet worden getoond.", "This request cannot be shown now.")}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            } />
        </section>
    }
}

#[component]
fn Work(view: AdminRequestView, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let item = view.thread.item.clone();
    let (id, kind, stage) = (item.id, item.kind, item.stage.clone());
    let stage_attr = stage.clone();
    let due = due_text(&item);
    let person = view.person.clone();
    view! {
        <h1>{move || format!("{} {}", kind_label(kind, lang.get()), id)}</h1>
        <dl class="facts" id="request-facts">
            <dt>{move || tr(lang.get(), "Stand", "Status")}</dt>
            <dd id="request-stage" data-stage=stage_attr>{move || stage_label(&stage, lang.get())}</dd>
            <dt>{move || tr(lang.get(), "Uiterlijk beantwoord op", "Answer by")}</dt>
            <dd id="request-due">{due}</dd>
            <dt>{move || tr(lang.get(), "Indiener", "Person")}</dt>
            <dd id="request-person">{person.map(|(email, language)| format!("{email} ({language})")).unwrap_or_else(|| "—".into())}</dd>
        </dl>
        <History thread=view.thread.clone() />
        {item.open.then(|| view! { <Actions id kind mine=item.mine extended=item.extended_months saved /> })}
        <Jobs id jobs=view.jobs saved />
        <details class="person-data" id="person-data">
            <summary>{move || tr(lang.get(), "Gegevens van de indiener (inzien wordt vastgelegd en is voor de indiener zichtbaar)", "The person's data (viewing is logged and shown to the person)")}</summary>
            {view.categories.into_iter().map(|c| view! {
                <h3>{c.title}</h3>
                <ul>
                    {c.items.into_iter().map(|i| view! {
                        <li>{i.fields.into_iter().map(|f| format!("{}: {}", f.label, f.value)).collect::<Vec<_>>().join(" · ")}</li>
                    }).collect_view()}
                </ul>
            }).collect_view()}
        </details>
    }
}

#[component]
fn Actions(
    id: i64,
    kind: RequestKind,
    mine: bool,
    extended: u32,
    saved: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let assign = ServerAction::<AdminAssign>::new();
    let reply = ServerAction::<AdminReply>::new();
    let ask = ServerAction::<AdminAskInfo>::new();
    let extend = ServerAction::<AdminExtend>::new();
    let complete = ServerAction::<AdminComplete>::new();
    let refuse = ServerAction::<AdminRefuse>::new();
    let disclose = ServerAction::<AdminAnswerDisclosure>::new();
    reload_after(assign, saved);
    reload_after(reply, saved);
    reload_after(ask, saved);
    reload_after(extend, saved);
    reload_after(complete, saved);
    reload_after(refuse, saved);
    reload_after(disclose, saved);
    let (assign_error, reply_error, ask_error) = (error_of(assign), error_of(reply), error_of(ask));
    let (extend_error, complete_error, refuse_error) =
        (error_of(extend), error_of(complete), error_of(refuse));
    let disclose_error = error_of(disclose);
    let hidden =
        move || view! { <LangField /><input type="hidden" name="id" value=id.to_string() /> };
    let months_error = move || {
        extend_error.with(|e| e.as_ref().and_then(|e| e.problem_with("months")).map(|p| view! { <p class="field-error" id="extend-months-error">{p.message(lang.get())}</p> }))
    };
    // One thing to do first, by the request's state: answer a disclosure from the
    // configuration, take the request on, or (once it is yours) complete it. The rest waits
    // behind its own heading, opened at once when its form has something to fix.
    let take_form = move || {
        view! {
            <ActionForm action=assign attr:class="form inline" attr:id="assign">
                {hidden()}
                <input type="hidden" name="take" value=if mine { "false" } else { "true" } />
                <FormError error=assign_error />
                <button type="submit" class=if mine { "secondary" } else { "" }>{move || if mine { tr(lang.get(), "Terugleggen", "Put back") } else { tr(lang.get(), "Neem in behandeling", "Take it on") }}</button>
            </ActionForm>
        }
    };
    let complete_form = move || {
        view! {
            <ActionForm action=complete attr:class="form" attr:id="complete" attr:novalidate=true>
                {hidden()}
                <FormError error=complete_error ids="complete-" />
                <Field name="body" id="complete-body" label=("Het antwoord", "The answer") multiline=true error=complete_error />
                <button type="submit">{move || tr(lang.get(), "Afhandelen", "Complete")}</button>
            </ActionForm>
        }
    };
    let more = move |id: &'static str,
                     title: (&'static str, &'static str),
                     error: Signal<Option<AppError>>,
                     form: AnyView| {
        view! {
            <details class="action" id=id open=move || error.with(Option::is_some)>
                <summary>{move || tr(lang.get(), title.0, title.1)}</summary>
                {form}
            </details>
        }
    };
    let disclosure = kind.is_disclosure();
    view! {
        <section class="actions" id="actions">
            <h2>{move || tr(lang.get(), "Wat nu?", "What next?")}</h2>
            <div class="primary-action">
                {if disclosure {
                    view! {
                        <p>{move || tr(lang.get(), "Het antwoord op deze vraag staat in de configuratie; met één klik gaat het naar de indiener.", "The answer to this question is in the configuration; one click sends it to the person.")}</p>
                        <ActionForm action=disclose attr:class="form inline" attr:id="answer-disclosure">
                            {hidden()}
                            <FormError error=disclose_error />
                            <button type="submit">{move || tr(lang.get(), "Beantwoorden uit de configuratie", "Answer from the configuration")}</button>
                        </ActionForm>
                    }.into_any()
                } else if !mine {
                    view! {
                        <p>{move || tr(lang.get(), "Neem het verzoek eerst in behandeling: dan weten je collega's dat jij het doet.", "Take the request on first: then your colleagues know you are doing it.")}</p>
                        {take_form()}
                    }.into_any()
                } else {
                    view! {
                        <h3>{move || tr(lang.get(), "Afhandelen", "Complete")}</h3>
                        {complete_form()}
                    }.into_any()
                }}
            </div>
            <h3>{move || tr(lang.get(), "Andere acties", "Other actions")}</h3>
            {(disclosure || mine).then(take_form)}
            {(!mine || disclosure).then(|| more("complete-action", ("Afhandelen met een eigen antwoord", "Complete with an answer of your own"), complete_error, complete_form().into_any()))}
            {more("reply-action", ("Antwoorden", "Reply"), reply_error, view! {
                <ActionForm action=reply attr:class="form" attr:id="reply" attr:novalidate=true>
                    {hidden()}
                    <FormError error=reply_error ids="reply-" />
                    <Field name="body" id="reply-body" label=("Bericht aan de indiener", "Message to the person") multiline=true error=reply_error />
                    <button type="submit">{move || tr(lang.get(), "Versturen", "Send")}</button>
                </ActionForm>
            }.into_any())}
            {more("ask-action", ("Om informatie vragen", "Ask for information"), ask_error, view! {
                <ActionForm action=ask attr:class="form" attr:id="ask-info" attr:novalidate=true>
                    {hidden()}
                    <FormError error=ask_error ids="ask-" />
                    <Field name="body" id="ask-body" label=("Wat heb je nodig? (de termijn staat stil tot het antwoord)", "What do you need? (the deadline stands still until the answer)") multiline=true error=ask_error />
                    <button type="submit">{move || tr(lang.get(), "Vragen", "Ask")}</button>
                </ActionForm>
            }.into_any())}
            {more("extend-action", ("Termijn verlengen", "Extend the deadline"), extend_error, view! {
                <p>{move || match lang.get() {
                    domain::Lang::Nl => format!("Al verlengd: {extended} van de hooguit 2 maanden. Alleen binnen de eerste maand, met een reden die de indiener krijgt."),
                    domain::Lang::En => format!("Extended so far: {extended} of at most 2 months. Only within the first month, with a reason the person is sent."),
                }}</p>
                <ActionForm action=extend attr:class="form" attr:id="extend" attr:novalidate=true>
                    {hidden()}
                    <FormError error=extend_error ids="extend-" />
                    <div class="field">
                        <label for="extend-months">{move || tr(lang.get(), "Met", "By")}</label>
                        {months_error}
                        <select id="extend-months" name="months">
                            <option value="1">{move || tr(lang.get(), "1 maand", "1 month")}</option>
                            <option value="2">{move || tr(lang.get(), "2 maanden", "2 months")}</option>
                        </select>
                    </div>
                    <Field name="reason" id="extend-reason" label=("Reden (de indiener krijgt die te lezen)", "Reason (the person is sent it)") multiline=true error=extend_error />
                    <button type="submit">{move || tr(lang.get(), "Verlengen", "Extend")}</button>
                </ActionForm>
            }.into_any())}
            {more("refuse-action", ("Afwijzen", "Refuse"), refuse_error, view! {
                <ActionForm action=refuse attr:class="form" attr:id="refuse" attr:novalidate=true>
                    {hidden()}
                    <FormError error=refuse_error ids="refuse-" />
                    <Field name="reason" id="refuse-reason" label=("Redenen (de klachtmogelijkheid bij de AP en de gang naar de rechter worden automatisch toegevoegd)", "Reasons (the complaint to the AP and going to court are added automatically)") multiline=true error=refuse_error />
                    <button type="submit" class="danger">{move || tr(lang.get(), "Afwijzen", "Refuse")}</button>
                </ActionForm>
            }.into_any())}
        </section>
    }
}

#[component]
fn Jobs(id: i64, jobs: Vec<crate::api::requests::JobView>, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let retry = ServerAction::<AdminRetryJob>::new();
    reload_after(retry, saved);
    let retry_error = error_of(retry);
    view! {
        <section id="jobs">
            <h2>{move || tr(lang.get(), "Taken bij de leverancier", "Jobs at the provider")}</h2>
            <FormError error=retry_error />
            {if jobs.is_empty() {
                view! { <p class="empty">{move || tr(lang.get(), "Geen taken.", "No jobs.")}</p> }.into_any()
            } else {
                view! {
                    <TableRegion label=("Taken bij de leverancier", "Jobs at the provider")>
                    <table class="jobs">
                        <tbody>
                            {jobs.into_iter().map(|j| view! {
                                <tr data-job=j.id.to_string() data-status=j.status.clone()>
                                    <td><code>{j.kind}</code></td>
                                    <td>{j.status.clone()}</td>
                                    <td>{j.attempts}</td>
                                    <td>{j.last_error}</td>
                                    <td>{(j.status == "dead").then(|| view! {
                                        <ActionForm action=retry attr:class="form inline">
                                            <LangField />
                                            <input type="hidden" name="id" value=id.to_string() />
                                            <input type="hidden" name="job" value=j.id.to_string() />
                                            <button type="submit">{move || tr(lang.get(), "Opnieuw proberen", "Retry")}</button>
                                        </ActionForm>
                                    })}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
    }
}
