use super::SignedIn;
use crate::layout::PageTitle;
use crate::{
    api::AppError,
    api::my_data::{
        CategoryView, CorrectAtProvider, ItemView, MyDataView, ProfileForm, SourceView, my_data,
        my_profile,
    },
    forms::{Field, FormError, LangField, Notice, error_of, reload_after},
    i18n::{tr, use_lang},
};
use domain::Lang;
use leptos::prelude::*;

/// "Mijn gegevens": every category of the catalogue with its facts, and the holder's items in
/// it; the provider's part fetched live, or said to be unavailable.
#[component]
pub fn MyDataPage() -> impl IntoView {
    let lang = use_lang();
    let (nl, en) = ("Mijn gegevens", "My data");
    let title = move || tr(lang.get(), nl, en);
    // Counts the corrections saved from this page (with JavaScript): both are read again after
    // each, so the page shows the new values and the form carries the new version.
    let saved = RwSignal::new(0u32);
    // The page's resources are made here, before any `Suspend` runs, so the server and the
    // browser number them alike and the browser finds the server's values while hydrating.
    // (Made inside `SignedIn`'s `Suspend`, their numbers depended on how fast the session was
    // read on the server, and hydration failed now and then.)
    let data = Resource::new(
        move || (lang.get(), saved.get()),
        |(lang, _)| my_data(lang.code().to_owned()),
    );
    let profile = Resource::new(move || saved.get(), |_| my_profile());
    view! {
        <PageTitle nl en />
        <section class="wide">
            <h1>{title}</h1>
            <Notice />
            <SignedIn render=move |_| view! { <Categories data profile saved /> } />
        </section>
    }
}

#[component]
fn Categories(
    data: Resource<Result<MyDataView, AppError>>,
    profile: Resource<Result<ProfileForm, AppError>>,
    saved: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    // A transition: after a change the page keeps showing the old values until the new ones
    // have arrived, instead of going blank.
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let profile = profile.await.ok();
                match data.await {
                    Ok(view) => view! { <Overview view profile saved /> }.into_any(),
                    Err(_) => view! {
                        <p role="alert">{move || tr(lang.get(), "Je gegevens kunnen nu niet worden geladen. Probeer het over een paar minuten opnieuw.", "Your data cannot be loaded now. Please try again in a few minutes.")}</p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(view: MyDataView, profile: Option<ProfileForm>, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let intro = move || {
        tr(
            lang.get(),
            "Hier staat alles wat wij en onze groothandelsleverancier over je bewaren, per soort gegevens: waarvoor, op welke grond, wie het ontvangt, waar het vandaan komt en tot wanneer we het bewaren.",
            "Here is everything we and our wholesale provider keep about you, per kind of data: what for, on what legal basis, who receives it, where it comes from and until when we keep it.",
        )
    };
    let provider = view.provider.clone();
    let choices: Vec<(String, String)> = view
        .categories
        .iter()
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect();
    let history = view.history;
    let export = move || format!("/{}/my-data/export", lang.get().code());
    let delete = move || format!("/{}/my-data/delete", lang.get().code());
    view! {
        <p>{intro}</p>
        <p><a href=export id="export-link">{move || tr(lang.get(), "Download een kopie van al je gegevens", "Download a copy of all your data")}</a></p>
        <p><a href=delete id="delete-link">{move || tr(lang.get(), "Je account en al je gegevens laten verwijderen", "Have your account and all your data deleted")}</a></p>
        // In short, before the detail: each kind of data, how much of it, and where it is.
        <nav class="data-summary" aria-labelledby="data-summary-title">
            <h2 id="data-summary-title">{move || tr(lang.get(), "In het kort", "In short")}</h2>
            <ul class="summary-grid">
                {view.categories.iter().map(|c| {
                    let href = format!("#{}", c.id);
                    let (title, count) = (c.title.clone(), c.items.len());
                    let at_provider = !matches!(c.source, SourceView::Here);
                    let provider = provider.clone();
                    view! {
                        <li data-summary=c.id.clone()>
                            <a href=href>{title}</a>
                            <span class="summary-count">{move || crate::i18n::items(lang.get(), count)}</span>
                            <span class="summary-where">{move || if at_provider {
                                match lang.get() { Lang::Nl => format!("bij {provider}"), Lang::En => format!("at {provider}") }
                            } else {
                                tr(lang.get(), "bij ons", "with us").to_owned()
                            }}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ul class="summary-more">
                <li><a href="#corrections">{move || tr(lang.get(), "Correcties en wie het is verteld", "Corrections and who was told")}</a></li>
                <li><a href="#requests">{move || tr(lang.get(), "Je verzoeken", "Your requests")}</a></li>
                <li><a href="#rights">{move || tr(lang.get(), "Bezwaar, beperking of aanvulling", "Object, restrict or add a statement")}</a></li>
                <li><a href="#staff-access">{move || tr(lang.get(), "Wie van ons je gegevens inzag", "Who at our company viewed your data")}</a></li>
            </ul>
        </nav>
        {view.categories.into_iter().map(|category| {
            let form = (category.id == "account").then(|| profile.clone()).flatten();
            view! { <Category category provider=provider.clone() form saved /> }
        }).collect_view()}
        <super::my_rights::Corrections corrections=history.corrections />
        <super::my_rights::Requests requests=history.requests />
        <super::my_rights::Rights objection=history.marketing_objection choices saved />
        <super::my_rights::StaffAccess entries=history.staff_access />
    }
    .into_any()
}

#[component]
fn Category(
    category: CategoryView,
    provider: String,
    form: Option<ProfileForm>,
    saved: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let status = source_text(lang.get_untracked(), &category.source, &provider);
    let empty = category.items.is_empty();
    let unavailable = matches!(category.source, SourceView::Unavailable { .. });
    let count = category.items.len();
    view! {
        <section class="category" id=category.id.clone() data-category=category.id.clone()>
            <h2>{category.title.clone()}</h2>
            <dl class="facts">
                {category.facts.into_iter().map(|f| view! { <dt>{f.label}</dt><dd>{f.value}</dd> }).collect_view()}
            </dl>
            {status.map(|(text, alert)| if alert {
                view! { <p class="source" role="status" data-source="unavailable">{text}" "<a href="">{move || tr(lang.get(), "Opnieuw proberen", "Try again")}</a></p> }.into_any()
            } else {
                view! { <p class="source" data-source="fetched">{text}</p> }.into_any()
            })}
            {if empty && !unavailable {
                view! { <p class="empty">{move || tr(lang.get(), "Hiervan bewaren we niets over jou.", "We hold nothing of this kind about you.")}</p> }.into_any()
            } else {
                view! {
                    <details open=count <= 5>
                        <summary>{move || crate::i18n::items(lang.get(), count)}</summary>
                        {category.items.into_iter().map(|item| view! { <Item item saved /> }).collect_view()}
                    </details>
                }.into_any()
            }}
            {form.map(|form| view! { <super::profile_form::CorrectionForm form saved /> })}
        </section>
    }
}

#[component]
fn Item(item: ItemView, saved: RwSignal<u32>) -> impl IntoView {
    let correctable = item.correctable.clone();
    let record = item.id.clone();
    view! {
        <dl class="item" data-item=item.id.clone()>
            {item.fields.into_iter().map(|f| view! { <dt>{f.label}</dt><dd>{f.value}</dd> }).collect_view()}
            <dd class="kept">{item.kept}</dd>
        </dl>
        {(!correctable.is_empty()).then(|| view! { <CorrectAtProviderForm record correctable saved /> })}
    }
}

/// Correct one field of a record held at the provider; it is applied there by a job.
#[component]
fn CorrectAtProviderForm(
    record: String,
    correctable: Vec<(String, String, String)>,
    saved: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<CorrectAtProvider>::new();
    reload_after(action, saved);
    let error = error_of(action);
    let select_id = format!("correct-{record}-field");
    let value_id = format!("correct-{record}-value");
    let ids = format!("correct-{record}-");
    view! {
        <details class="correct-at-provider">
            <summary>{move || tr(lang.get(), "Klopt hier iets niet? Corrigeer het", "Something wrong here? Correct it")}</summary>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <LangField />
                <input type="hidden" name="record_id" value=record.clone() />
                <FormError error ids />
                <label for=select_id.clone()>{move || tr(lang.get(), "Gegeven", "Field")}</label>
                <select id=select_id name="field">
                    {correctable.into_iter().map(|(key, label, current)| view! {
                        <option value=key>{format!("{label} ({current})")}</option>
                    }).collect_view()}
                </select>
                <Field name="value" id=value_id label=("Juiste waarde", "Correct value") required=false error />
                <button type="submit">{move || tr(lang.get(), "Correctie doorgeven", "Send correction")}</button>
            </ActionForm>
        </details>
    }
}

/// Where the provider's part came from, in words, and whether it is a warning.
fn source_text(lang: Lang, source: &SourceView, provider: &str) -> Option<(String, bool)> {
    match (source, lang) {
        (SourceView::Here, _) => None,
        (SourceView::Fetched { at }, Lang::Nl) => {
            Some((format!("Zojuist opgehaald bij {provider} ({at})."), false))
        }
        (SourceView::Fetched { at }, Lang::En) => {
            Some((format!("Just fetched from {provider} ({at})."), false))
        }
        (SourceView::Unavailable { at }, Lang::Nl) => Some((
            format!(
                "{provider} was om {at} niet bereikbaar, dus we kunnen deze gegevens nu niet tonen. Ze zijn er nog wel."
            ),
            true,
        )),
        (SourceView::Unavailable { at }, Lang::En) => Some((
            format!(
                "{provider} could not be reached at {at}, so we cannot show this data now. It is still there."
            ),
            true,
        )),
        (SourceView::NotHeld, Lang::Nl) => Some((
            format!("{provider} bewaart geen gegevens van dit account."),
            false,
        )),
        (SourceView::NotHeld, Lang::En) => {
            Some((format!("{provider} holds no data of this account."), false))
        }
    }
}
