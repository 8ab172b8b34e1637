use super::SignedIn;
use crate::layout::PageTitle;
use crate::layout::TableRegion;
use crate::{
    api::AppError,
    api::provider::{
        ProviderOverview, RequestState, RequestView, UnlistDirectory, provider_requests,
    },
    forms::{FormError, LangField, Notice, error_of},
    i18n::{tr, use_lang},
};
use domain::Lang;
use leptos::prelude::*;

/// What the holder asked of the provider, and where each request stands: pending (with the
/// last attempt) until the provider confirms it, never "done" before, never an error page when
/// the provider is down.
#[component]
pub fn ProviderPage() -> impl IntoView {
    let lang = use_lang();
    let (nl, en) = ("Gegevens bij onze leverancier", "Data at our provider");
    let title = move || tr(lang.get(), nl, en);
    // Made before any `Suspend` runs, so server and browser number it alike (see My data).
    let overview = Resource::new(
        move || lang.get(),
        |lang| provider_requests(lang.code().to_owned()),
    );
    view! {
        <PageTitle nl en />
        <section class="narrow">
            <h1>{title}</h1>
            <Notice />
            <SignedIn render=move |_| view! { <Requests overview /> } />
        </section>
    }
}

#[component]
fn Requests(overview: Resource<Result<ProviderOverview, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Overview overview /> }.into_any(),
                    Err(_) => view! { <Unavailable /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Unavailable() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p role="alert">{move || tr(lang.get(), "Dit overzicht kan nu niet worden geladen. Probeer het over een paar minuten opnieuw.", "This overview cannot be loaded now. Please try again in a few minutes.")}</p>
    }
}

#[component]
fn Overview(overview: ProviderOverview) -> impl IntoView {
    let lang = use_lang();
    let provider = overview.provider.clone();
    let intro = {
        let provider = provider.clone();
        move || match lang.get() {
            Lang::Nl => format!(
                "Je telefoonnummers, de diensten daarop, je vermelding in de telefoongids, simkaart- en porteringsgegevens en verkeersgegevens staan in de backoffice van onze groothandelsleverancier, {provider}. Wat je ons daar laat regelen, zie je hier met de stand van zaken."
            ),
            Lang::En => format!(
                "Your telephone numbers, the services on them, your telephone directory listing, SIM and porting details and usage records are held in the back office of our wholesale provider, {provider}. What you ask us to arrange there is listed here, with where it stands."
            ),
        }
    };
    let requests = overview.requests;
    view! {
        <p>{intro}</p>
        {if overview.subscriber {
            view! { <UnlistForm /> }.into_any()
        } else {
            view! { <p>{move || tr(lang.get(), "Er staan bij onze leverancier geen gegevens van dit account.", "Our provider holds no data of this account.")}</p> }.into_any()
        }}
        <h2>{move || tr(lang.get(), "Je verzoeken", "Your requests")}</h2>
        {if requests.is_empty() {
            view! { <p>{move || tr(lang.get(), "Je hebt nog niets gevraagd.", "You have not asked for anything yet.")}</p> }.into_any()
        } else {
            view! {
                <TableRegion label=("Je verzoeken bij de leverancier", "Your requests at the provider")>
                <table class="requests" data-testid="provider-requests">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr(lang.get(), "Verzoek", "Request")}</th>
                            <th scope="col">{move || tr(lang.get(), "Gevraagd", "Asked")}</th>
                            <th scope="col">{move || tr(lang.get(), "Stand van zaken", "Status")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {requests.into_iter().map(|r| view! { <Request request=r provider=provider.clone() /> }).collect_view()}
                    </tbody>
                </table>
                </TableRegion>
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn Request(request: RequestView, provider: String) -> impl IntoView {
    let lang = use_lang();
    let kind = request.kind.clone();
    let what = move || match kind.as_str() {
        "provider.unlist" => tr(
            lang.get(),
            "Nummers uit de telefoongids halen",
            "Remove numbers from the telephone directory",
        ),
        "provider.correct" => tr(lang.get(), "Gegevens corrigeren", "Correct data"),
        "provider.erase" => tr(lang.get(), "Gegevens wissen", "Erase data"),
        _ => tr(lang.get(), "Verzoek", "Request"),
    };
    let state = match request.state {
        RequestState::Pending { .. } => "pending",
        RequestState::Done { .. } => "done",
        RequestState::NeedsAttention { .. } => "attention",
    };
    let status = status_text(lang, request.state, provider);
    view! {
        <tr data-state=state>
            <td>{what}</td>
            <td>{request.requested}</td>
            <td>{status}</td>
        </tr>
    }
}

/// The status of a request in words: honest about what has and has not happened yet.
fn status_text(lang: Memo<Lang>, state: RequestState, provider: String) -> impl Fn() -> String {
    move || {
        let l = lang.get();
        match &state {
            RequestState::Pending { last_attempt: None } => match l {
                Lang::Nl => format!("In behandeling: nog niet bij {provider} aangekomen"),
                Lang::En => format!("Pending: not yet at {provider}"),
            },
            RequestState::Pending {
                last_attempt: Some(at),
            } => match l {
                Lang::Nl => format!(
                    "In behandeling bij {provider}; laatste poging {at}. We proberen het automatisch opnieuw."
                ),
                Lang::En => format!(
                    "Pending at {provider}; last attempt {at}. We keep trying automatically."
                ),
            },
            RequestState::Done { at } => match l {
                Lang::Nl => format!("Uitgevoerd door {provider} op {at}"),
                Lang::En => format!("Carried out by {provider} on {at}"),
            },
            RequestState::NeedsAttention { since } => match l {
                Lang::Nl => format!(
                    "Vastgelopen sinds {since}; onze medewerkers pakken het op en laten het je weten."
                ),
                Lang::En => {
                    format!("Stuck since {since}; our staff are on it and will let you know.")
                }
            },
        }
    }
}

#[component]
fn UnlistForm() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<UnlistDirectory>::new();
    let error = error_of(action);
    view! {
        <h2>{move || tr(lang.get(), "Telefoongids", "Telephone directory")}</h2>
        <p>{move || tr(lang.get(), "Wil je niet (meer) in de telefoongids en bij nummerinformatie staan? Dan laten we al je nummers daar verwijderen.", "Don't want to be listed in the telephone directory and directory enquiries (any more)? We will have all your numbers removed there.")}</p>
        <ActionForm action=action attr:class="form">
            <LangField />
            <FormError error />
            <button type="submit">{move || tr(lang.get(), "Haal mijn nummers uit de telefoongids", "Remove my numbers from the directory")}</button>
        </ActionForm>
    }
}
