use super::SignedIn;
use crate::layout::PageTitle;
use crate::{
    api::{
        AppError,
        erasure::{DeleteAccount, DeletionPlanView, KeptView, PlannedView, deletion_plan},
    },
    forms::{FormError, LangField, Notice, error_of},
    i18n::{tr, use_lang},
};
use domain::Lang;
use leptos::prelude::*;

/// "Account verwijderen": exactly what will be erased (here and at the provider), what the law
/// makes us keep (on what ground, until when), who will be told; then, after the password
/// again, an explicit confirmation — with the cool-off or at once.
#[component]
pub fn DeleteAccountPage() -> impl IntoView {
    let lang = use_lang();
    let (nl, en) = ("Je account verwijderen", "Delete your account");
    let title = move || tr(lang.get(), nl, en);
    // Made here, before `SignedIn`'s `Suspend`, so hydration finds its value.
    let plan = Resource::new(
        move || lang.get(),
        |lang| deletion_plan(lang.code().to_owned()),
    );
    view! {
        <PageTitle nl en />
        <section class="wide">
            <h1>{title}</h1>
            <Notice />
            <SignedIn render=move |_| view! { <PlanView plan /> } />
        </section>
    }
}

#[component]
fn PlanView(plan: Resource<Result<DeletionPlanView, AppError>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match plan.await {
                    Ok(plan) => view! { <Plan plan /> }.into_any(),
                    Err(_) => view! {
                        <p role="alert">{move || tr(lang.get(), "Wat we zouden wissen kan nu niet worden getoond. Probeer het over een paar minuten opnieuw.", "What we would erase cannot be shown now. Please try again in a few minutes.")}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn count(lang: Lang, items: Option<usize>) -> String {
    match (lang, items) {
        (lang, Some(n)) => crate::i18n::items(lang, n),
        (Lang::Nl, None) => "aantal nu onbekend: de leverancier antwoordt niet".into(),
        (Lang::En, None) => "number unknown now: the provider does not answer".into(),
    }
}

fn planned_list(lang: Lang, id: &'static str, items: Vec<PlannedView>) -> impl IntoView {
    view! {
        <ul id=id>
            {items.into_iter().map(|p| view! {
                <li data-category=p.id>{p.title} " — " {count(lang, p.items)}</li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Plan(plan: DeletionPlanView) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let provider = plan.provider.clone();
    let cool_off = plan.cool_off_days;
    let directory = match (l, plan.listed) {
        (Lang::Nl, Some(true)) => {
            "Je nummer staat in de telefoongids: we laten het verwijderen en de uitgevers van gidsen en nummerinformatie inlichten (art. 17 lid 2 AVG)."
        }
        (Lang::En, Some(true)) => {
            "Your number is in the telephone directory: we have it removed and tell the publishers of directories and directory enquiries (Art. 17(2) GDPR)."
        }
        (Lang::Nl, Some(false)) => {
            "Je nummer staat niet in de telefoongids; we controleren het bij het wissen nog een keer."
        }
        (Lang::En, Some(false)) => {
            "Your number is not in the telephone directory; we check once more when erasing."
        }
        (Lang::Nl, None) => {
            "Of je nummer in de telefoongids staat, kunnen we nu niet zien; bij het wissen laten we elke vermelding verwijderen."
        }
        (Lang::En, None) => {
            "Whether your number is in the telephone directory cannot be seen now; when erasing we have any listing removed."
        }
    };
    view! {
        <p>{move || if lang.get() == Lang::Nl {
            format!("Als je je account verwijdert, wissen we al je gegevens: bij ons en bij {provider}, onze groothandelsleverancier. Je account wordt meteen gedeactiveerd: je wordt overal uitgelogd en we doen niets meer met je gegevens. Na {cool_off} dagen wissen we alles; log je in die tijd in, dan wordt de verwijdering ingetrokken. Je kunt ook kiezen voor meteen wissen.")
        } else {
            format!("If you delete your account, we erase all your data: with us and with {provider}, our wholesale provider. Your account is deactivated at once: you are signed out everywhere and we do nothing more with your data. After {cool_off} days we erase everything; if you sign in before then, the deletion is called off. You can also choose to erase at once.")
        }}</p>

        <h2>{move || tr(lang.get(), "Wat we wissen", "What we erase")}</h2>
        <h3>{move || tr(lang.get(), "Bij ons", "With us")}</h3>
        {planned_list(l, "erased-here", plan.erased_here)}
        <h3>{plan.provider.clone()}</h3>
        {planned_list(l, "erased-at-provider", plan.erased_at_provider)}
        <p id="directory">{directory}</p>

        <h2>{move || tr(lang.get(), "Wat we bewaren, en waarom", "What we keep, and why")}</h2>
        <p>{move || tr(lang.get(), "Alleen wat de wet ons verplicht te bewaren (art. 17 lid 3 AVG), los van je account en niet langer dan nodig:", "Only what the law obliges us to keep (Art. 17(3) GDPR), detached from your account and no longer than needed:")}</p>
        <ul id="kept">
            {plan.kept.into_iter().map(|k| view! { <KeptItem kept=k /> }).collect_view()}
        </ul>

        <h2>{move || tr(lang.get(), "Wie we inlichten", "Who we tell")}</h2>
        <ul id="told">
            <li>{plan.provider.clone()} " — " {move || tr(lang.get(), "wist wat het over je bewaart", "erases what it holds about you")}</li>
            {plan.suppliers.into_iter().map(|s| view! {
                <li data-supplier="">{s} " — " {move || tr(use_lang().get(), "ontving een offerte-aanvraag van je; we vragen ze die te wissen (art. 19 AVG)", "received a quote request from you; we ask them to erase it (Art. 19 GDPR)")}</li>
            }).collect_view()}
        </ul>

        <h2>{move || tr(lang.get(), "Verwijderen", "Delete")}</h2>
        {if plan.recently_authenticated {
            view! { <DeleteForm cool_off /> }.into_any()
        } else {
            let confirm = move || {
                let code = lang.get().code();
                format!("/{code}/account/confirm-identity?next=/{code}/my-data/delete")
            };
            view! {
                <p id="step-up">
                    {move || tr(lang.get(), "Hiervoor vragen we eerst je wachtwoord opnieuw.", "For this we ask for your password again first.")} " "
                    <a href=confirm>{move || tr(lang.get(), "Bevestig dat jij het bent", "Confirm it is you")}</a>
                </p>
            }.into_any()
        }}
    }
}

#[component]
fn KeptItem(kept: KeptView) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let how = match (l, kept.how.as_str()) {
        (Lang::Nl, "pseudonymise") => "bewaard zonder iets dat naar jou verwijst",
        (Lang::En, "pseudonymise") => "kept without anything that points to you",
        (Lang::Nl, _) => "bewaard, losgemaakt van je account",
        (Lang::En, _) => "kept, detached from your account",
    };
    let until = kept.until.map(|d| match l {
        Lang::Nl => format!(" Uiterlijk tot {d}."),
        Lang::En => format!(" Until {d} at the latest."),
    });
    view! {
        <li data-kept=kept.id>
            <strong>{kept.title}</strong> " (" {count(l, Some(kept.items))} "): " {how} ". "
            {kept.ground} ". " {kept.period} "." {until}
        </li>
    }
}

#[component]
fn DeleteForm(cool_off: u64) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<DeleteAccount>::new();
    let error = error_of(action);
    let problem = move |field: &'static str| {
        move || error.with(|e| e.as_ref().and_then(|e| e.problem_with(field)))
    };
    let (confirm_problem, when_problem) = (problem("confirm"), problem("when"));
    view! {
        <ActionForm action=action attr:class="form" attr:id="delete-account" attr:novalidate=true>
            <LangField />
            <FormError error />
            <fieldset class="field" class:field-invalid=move || when_problem().is_some()>
                <legend>{move || tr(lang.get(), "Wanneer?", "When?")}</legend>
                {move || when_problem().map(|p| view! { <p class="field-error" id="field-when-error">{p.message(lang.get())}</p> })}
                <label>
                    <input type="radio" id="field-when" name="when" value="later" checked=true />
                    {move || if lang.get() == Lang::Nl { format!(" Over {cool_off} dagen (je kunt het tot dan intrekken door in te loggen)") } else { format!(" In {cool_off} days (until then you can call it off by signing in)") }}
                </label>
                <label>
                    <input type="radio" name="when" value="now" />
                    {move || tr(lang.get(), " Meteen (dit kan niet worden teruggedraaid)", " At once (this cannot be undone)")}
                </label>
            </fieldset>
            <div class="field" class:field-invalid=move || confirm_problem().is_some()>
                {move || confirm_problem().map(|p| view! { <p class="field-error" id="field-confirm-error">{p.message(lang.get())}</p> })}
                <label>
                    <input
                        type="checkbox"
                        id="field-confirm"
                        name="confirm"
                        value="yes"
                        aria-invalid=move || confirm_problem().is_some().then_some("true")
                        aria-describedby=move || confirm_problem().is_some().then_some("field-confirm-error")
                    />
                    {move || tr(lang.get(), " Ja, verwijder mijn account en al mijn gegevens", " Yes, delete my account and all my data")}
                </label>
            </div>
            <button type="submit" class="danger">{move || tr(lang.get(), "Account verwijderen", "Delete my account")}</button>
        </ActionForm>
    }
}
