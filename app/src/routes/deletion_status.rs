use crate::layout::PageTitle;
use crate::{
    api::erasure::{DeletionStatusView, deletion_status},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

/// Where a deletion stands, reached by the link shown after asking and mailed to the holder:
/// each system's state until every one is done — never "done" while anything is outstanding.
/// Looks again every few seconds with JavaScript; a "Vernieuwen" link without.
#[component]
pub fn DeletionStatusPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let (nl, en) = ("Verwijdering van je account", "Deletion of your account");
    let title = move || tr(lang.get(), nl, en);
    let tick = RwSignal::new(0u32);
    let status = Resource::new(
        move || {
            (
                lang.get(),
                params.with(|p| p.get("token").unwrap_or_default()),
                tick.get(),
            )
        },
        |(lang, token, _)| deletion_status(lang.code().to_owned(), token),
    );
    Effect::new(move |_| {
        let watch = move || {
            let open = status.with_untracked(
                |s| matches!(s, Some(Ok(Some(v))) if !v.complete && v.phase != "cancelled"),
            );
            if open {
                tick.update(|n| *n += 1);
            }
        };
        if let Ok(handle) = set_interval_with_handle(watch, std::time::Duration::from_secs(3)) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <PageTitle nl en />
        <section class="wide">
            <h1>{title}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(Some(view)) => view! { <Status view /> }.into_any(),
                        Ok(None) => view! {
                            <p role="alert">{move || tr(lang.get(), "Deze link kennen we niet. Controleer of je hem helemaal hebt overgenomen.", "We do not know this link. Please check that you copied all of it.")}</p>
                        }.into_any(),
                        Err(_) => view! { <Unavailable /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Unavailable() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p role="alert">{move || tr(lang.get(), "De stand van zaken kan nu niet worden getoond. Probeer het over een paar minuten opnieuw.", "The state of things cannot be shown now. Please try again in a few minutes.")}</p>
    }
}

#[component]
fn Status(view: DeletionStatusView) -> impl IntoView {
    let lang = use_lang();
    let here = use_location().pathname.get_untracked();
    let open = !view.complete && view.phase != "cancelled";
    view! {
        <p id="deletion-summary" data-phase=view.phase.clone() data-complete=view.complete.to_string() aria-live="polite">
            {view.summary}
        </p>
        <ol id="deletion-steps" class="steps">
            {view.steps.into_iter().map(|s| view! {
                <li data-system=s.system data-state=s.state>
                    <strong>{s.name}</strong> ": " {s.text}
                </li>
            }).collect_view()}
        </ol>
        {(!view.recipients.is_empty()).then(|| view! {
            <h2>{move || tr(lang.get(), "Ingelicht", "Told")}</h2>
            <ul id="deletion-recipients">
                {view.recipients.into_iter().map(|(name, told)| {
                    let state = match (lang.get_untracked() == domain::Lang::Nl, told) {
                        (true, Some(at)) => format!("ingelicht op {at}"),
                        (false, Some(at)) => format!("told on {at}"),
                        (true, None) => "bericht wacht op verzending".to_owned(),
                        (false, None) => "message waiting to be sent".to_owned(),
                    };
                    view! { <li>{name} ": " {state}</li> }
                }).collect_view()}
            </ul>
        })}
        <h2>{move || tr(lang.get(), "Wat de wet ons laat bewaren", "What the law makes us keep")}</h2>
        <ul id="deletion-kept">
            {view.kept.into_iter().map(|k| view! { <li>{k}</li> }).collect_view()}
        </ul>
        <p class="muted">{move || tr(lang.get(), "Aangevraagd op ", "Asked for on ")} {view.requested_at}</p>
        {open.then(|| view! {
            <p><a href=here id="refresh">{move || tr(lang.get(), "Vernieuwen", "Refresh")}</a></p>
        })}
    }
}
