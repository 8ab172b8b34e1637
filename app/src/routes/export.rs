use super::SignedIn;
use crate::layout::PageTitle;
use crate::{
    api::AppError,
    api::export::{ExportView, ExportsView, RequestExport, my_exports},
    forms::{FormError, LangField, Notice, error_of, reload_after},
    i18n::{tr, use_lang},
};
use domain::Lang;
use leptos::prelude::*;

/// "Download je gegevens": a copy of everything in one ZIP, made in the background; the page
/// shows how far it got (looking again every second with JavaScript, with a link without).
#[component]
pub fn ExportPage() -> impl IntoView {
    let lang = use_lang();
    let (nl, en) = ("Download je gegevens", "Download your data");
    let title = move || tr(lang.get(), nl, en);
    // Counts up to read the exports again: after asking for one, and every second while one
    // is being built. Made here, before `SignedIn`'s `Suspend`, so hydration finds its value.
    let tick = RwSignal::new(0u32);
    let exports = Resource::new(
        move || (lang.get(), tick.get()),
        |(lang, _)| my_exports(lang.code().to_owned()),
    );
    Effect::new(move |_| {
        let watch = move || {
            let building = exports.with_untracked(|e| matches!(e, Some(Ok(v)) if v.building));
            if building {
                tick.update(|n| *n += 1);
            }
        };
        if let Ok(handle) = set_interval_with_handle(watch, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <PageTitle nl en />
        <section class="wide">
            <h1>{title}</h1>
            <Notice />
            <SignedIn render=move |_| view! { <Exports exports tick /> } />
        </section>
    }
}

#[component]
fn Exports(exports: Resource<Result<ExportsView, AppError>>, tick: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<RequestExport>::new();
    reload_after(action, tick);
    let error = error_of(action);
    view! {
        <p>{move || tr(lang.get(),
            "Je krijgt een kopie van alles wat wij en onze groothandelsleverancier over je bewaren, in één ZIP-bestand: data.json (machineleesbaar, met schema), een CSV-bestand per soort gegevens (voor een spreadsheet), index.html om te lezen, en manifest.json dat per bron zegt of alles is opgehaald. We maken de kopie op de achtergrond en sturen je een e-mail als hij klaar is.",
            "You get a copy of everything we and our wholesale provider keep about you, in one ZIP file: data.json (machine-readable, with a schema), a CSV file per kind of data (for a spreadsheet), index.html to read, and manifest.json, which says per source whether everything was fetched. We make the copy in the background and e-mail you when it is ready.")}</p>
        <p>{move || tr(lang.get(),
            "Om te downloaden vragen we je wachtwoord opnieuw als je dat meer dan tien minuten geleden invoerde. De download blijft zeven dagen staan; daarna verwijderen we het bestand.",
            "To download, we ask for your password again if you entered it more than ten minutes ago. The download stays for seven days; then we delete the file.")}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match exports.await {
                    Ok(view) => {
                        let building = view.building;
                        view! {
                            <ActionForm action=action attr:class="form inline" attr:id="request-export">
                                <LangField />
                                <FormError error />
                                <button type="submit" disabled=building>
                                    {move || tr(lang.get(), "Kopie van mijn gegevens aanvragen", "Ask for a copy of my data")}
                                </button>
                            </ActionForm>
                            <ExportList exports=view.exports />
                        }.into_any()
                    }
                    Err(_) => view! {
                        <p role="alert">{move || tr(lang.get(), "Je downloads kunnen nu niet worden geladen. Probeer het over een paar minuten opnieuw.", "Your downloads cannot be loaded now. Please try again in a few minutes.")}</p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ExportList(exports: Vec<ExportView>) -> impl IntoView {
    let lang = use_lang();
    if exports.is_empty() {
        return view! {
            <p id="exports" data-exports="none">{move || tr(lang.get(), "Je hebt nog geen kopie aangevraagd.", "You have not asked for a copy yet.")}</p>
        }
        .into_any();
    }
    view! {
        <h2>{move || tr(lang.get(), "Je kopieën", "Your copies")}</h2>
        <ul id="exports" class="exports" aria-live="polite">
            {exports.into_iter().map(|export| view! { <ExportItem export /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ExportItem(export: ExportView) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let requested = match l {
        Lang::Nl => format!("Aangevraagd op {}", export.requested_at),
        Lang::En => format!("Asked for on {}", export.requested_at),
    };
    let body = match export.status.as_str() {
        "building" => {
            let reading = match (l, &export.phase) {
                (Lang::Nl, Some(phase)) => format!(
                    "Bezig: {phase} — bron {} van {}, {} items tot nu toe.",
                    (export.sources_done + 1).min(export.sources_total),
                    export.sources_total,
                    export.items_done
                ),
                (Lang::En, Some(phase)) => format!(
                    "Working on: {phase} — source {} of {}, {} items so far.",
                    (export.sources_done + 1).min(export.sources_total),
                    export.sources_total,
                    export.items_done
                ),
                (_, None) => tr(
                    l,
                    "In de wachtrij; we beginnen zo.",
                    "Queued; we start shortly.",
                )
                .to_owned(),
            };
            let here = format!("/{}/my-data/export", l.code());
            view! {
                <progress max=export.sources_total value=export.sources_done></progress>
                <p data-progress=export.phase_id.clone().unwrap_or_default()>{reading}</p>
                <noscript><p><a href=here>{tr(l, "Vernieuwen", "Refresh")}</a></p></noscript>
            }
            .into_any()
        }
        "ready" => {
            let href = format!("/{}/my-data/export/{}/download", l.code(), export.id);
            let until = export.expires_at.clone().unwrap_or_default();
            let size = export.size.clone().unwrap_or_default();
            let ready = match l {
                Lang::Nl => format!("Klaar. Te downloaden tot {until} ({size})."),
                Lang::En => format!("Ready. You can download it until {until} ({size})."),
            };
            let provider = match export.provider_state.as_str() {
                "pending" => Some(tr(
                    l,
                    "Het deel dat onze leverancier bewaart kon nog niet worden opgehaald. We proberen het automatisch opnieuw; je krijgt een e-mail als de kopie compleet is.",
                    "The part our provider holds could not be fetched yet. We keep trying automatically; you will get an e-mail when the copy is complete.",
                )),
                "failed" => Some(tr(
                    l,
                    "Het deel dat onze leverancier bewaart kon niet worden opgehaald. Een medewerker neemt dit op.",
                    "The part our provider holds could not be fetched. A member of staff is looking into it.",
                )),
                _ => None,
            };
            view! {
                <p>{ready}</p>
                {provider.map(|text| view! { <p class="source" role="status" data-provider-note="">{text}</p> })}
                <p><a class="button" href=href rel="external" data-download="">{tr(l, "Download (ZIP)", "Download (ZIP)")}</a></p>
            }
            .into_any()
        }
        _ => view! {
            <p>{tr(l, "Verlopen: het bestand is verwijderd.", "Expired: the file was deleted.")}</p>
        }
        .into_any(),
    };
    view! {
        <li data-export=export.id.clone() data-state=export.status.clone() data-provider=export.provider_state.clone()>
            <p><strong>{requested}</strong></p>
            {body}
        </li>
    }
}
