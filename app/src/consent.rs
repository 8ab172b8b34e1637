//! The cookie banner and what every page knows of the visitor's cookie choice.
//!
//! The banner is rendered by the server into the page and its buttons are plain forms: choosing
//! needs no JavaScript at all. With JavaScript the choice is sent in the background and the
//! banner closes without a reload.

use crate::{
    api::consent::{ChooseCookies, ConsentView},
    forms::LangField,
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

/// The visitor's cookie choice as this page knows it.
#[derive(Clone, Copy)]
pub struct ConsentState(pub RwSignal<ConsentView>);

/// Reads the choice the server found for this request (and, in the browser, the value the
/// server wrote into the page), for every component below.
pub fn provide_consent() -> RwSignal<ConsentView> {
    let shared = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            let now = crate::api::consent::consent_now();
            ConsentView::of(&now.consent, now.gpc_recorded)
        }
        #[cfg(not(feature = "ssr"))]
        {
            ConsentView::default()
        }
    });
    let state = RwSignal::new(shared.into_inner());
    provide_context(ConsentState(state));
    state
}

pub fn use_consent() -> RwSignal<ConsentView> {
    use_context::<ConsentState>()
        .map(|s| s.0)
        .unwrap_or_else(|| RwSignal::new(ConsentView::default()))
}

/// The action every cookie form dispatches; its answer becomes the page's state.
pub fn choose_action() -> ServerAction<ChooseCookies> {
    let action = ServerAction::<ChooseCookies>::new();
    let state = use_consent();
    Effect::new(move |_| {
        if let Some(Ok(view)) = action.value().get() {
            state.set(view);
        }
    });
    action
}

/// One choice as its own form: a hidden answer and one button.
#[component]
pub fn ChoiceForm(
    action: ServerAction<ChooseCookies>,
    answer: &'static str,
    method: &'static str,
    label: (&'static str, &'static str),
    #[prop(optional)] id: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ActionForm action=action attr:class="choice-form">
            <LangField />
            <input type="hidden" name="answer" value=answer />
            <input type="hidden" name="method" value=method />
            <button type="submit" class="choice" id=(!id.is_empty()).then_some(id)>
                {move || tr(lang.get(), label.0, label.1)}
            </button>
        </ActionForm>
    }
}

/// The banner on a first visit (or after the cookie statement changed, or when an earlier
/// opt-in meets a new GPC signal), and the note that a GPC signal was honoured.
#[component]
pub fn ConsentBanner() -> impl IntoView {
    let lang = use_lang();
    let state = use_consent();
    let action = choose_action();
    let settings = move || format!("/{}/cookies", lang.get().code());
    let conflict = move || state.with(|s| s.conflict);
    view! {
        <Show when=move || state.with(ConsentView::asks)>
            // Focus starts here (no script needed), so keyboard and screen-reader users meet
            // the question first.
            <section
                id="cookie-banner"
                class="cookie-banner"
                aria-labelledby="cookie-banner-title"
                tabindex="-1"
                autofocus
            >
                <div class="wrap">
                    <Show
                        when=conflict
                        fallback=move || view! {
                            <h2 id="cookie-banner-title">{move || tr(lang.get(), "Cookies op dit portaal", "Cookies on this portal")}</h2>
                            <p>{move || tr(lang.get(),
                                "Zonder jouw keuze plaatsen we alleen noodzakelijke cookies. Functionele onthouden je taal, analytische tellen bezoekers zonder je te herkennen. Wijzigen kan altijd via \u{201c}Cookie-instellingen\u{201d} onderaan.",
                                "Without your choice we set only necessary cookies. Functional ones remember your language, analytical ones count visitors without knowing who you are. Change it any time through \u{201c}Cookie settings\u{201d} at the bottom.")}</p>
                            <div class="consent-choices">
                                <ChoiceForm action answer="accept" method="banner" id="cookies-accept" label=("Alles accepteren", "Accept all") />
                                <ChoiceForm action answer="reject" method="banner" id="cookies-reject" label=("Alles weigeren", "Reject all") />
                                <a class="choice" id="cookies-settings" href=settings>{move || tr(lang.get(), "Instellingen", "Settings")}</a>
                            </div>
                        }
                    >
                        <h2 id="cookie-banner-title">{move || tr(lang.get(), "Je browser vraagt om privacy", "Your browser asks for privacy")}</h2>
                        <p>{move || tr(lang.get(),
                            "Je hebt eerder analytische of commerciële cookies toegestaan, maar je browser stuurt nu het Global Privacy Control-signaal. Tot je kiest, volgen we het signaal: die cookies staan uit.",
                            "You allowed analytical or commercial cookies earlier, but your browser now sends the Global Privacy Control signal. Until you choose, we follow the signal: those cookies are off.")}</p>
                        <div class="consent-choices">
                            <ChoiceForm action answer="follow-gpc" method="banner" id="cookies-follow-gpc" label=("Volg het signaal", "Follow the signal") />
                            <ChoiceForm action answer="keep" method="banner" id="cookies-keep" label=("Houd mijn keuze", "Keep my choice") />
                            <a class="choice" id="cookies-settings" href=settings>{move || tr(lang.get(), "Instellingen", "Settings")}</a>
                        </div>
                    </Show>
                </div>
            </section>
        </Show>
        <Show when=move || state.with(|s| s.gpc_recorded)>
            <section id="gpc-notice" class="cookie-banner" role="status" aria-labelledby="gpc-notice-title">
                <div class="wrap">
                    <h2 id="gpc-notice-title">{move || tr(lang.get(), "Je privacysignaal is gerespecteerd", "Your privacy signal was honoured")}</h2>
                    <p>{move || tr(lang.get(),
                        "Je browser stuurt Global Privacy Control. Daarom staan analytische en commerciële cookies uit, en we plaatsen alleen technisch noodzakelijke cookies. Wil je toch iets aanzetten, kies dan zelf bij ",
                        "Your browser sends Global Privacy Control. So analytical and commercial cookies are off, and we set only strictly necessary cookies. To switch anything on yourself, go to ")}
                        <a href=settings>{move || tr(lang.get(), "Cookie-instellingen", "Cookie settings")}</a>
                        "."
                    </p>
                </div>
            </section>
        </Show>
    }
}

/// How the portal treats Global Privacy Control, in the words the policy and the cookie
/// statement both use.
pub fn gpc_policy(lang: domain::Lang) -> &'static str {
    tr(
        lang,
        "Stuurt je browser het Global Privacy Control-signaal (Sec-GPC), dan behandelen we dat als je keuze tegen analytische en commerciële cookies: die blijven uit, tenzij je ze op dit portaal zelf aanzet bij Cookie-instellingen. We bewaren die keuze als bewijs, net als een keuze in de cookiemelding. Had je ze eerder aangezet en stuurt je browser daarna het signaal, dan vragen we je wat geldt; tot je antwoordt, geldt het signaal.",
        "If your browser sends the Global Privacy Control signal (Sec-GPC), we treat it as your choice against analytical and commercial cookies: they stay off unless you switch them on yourself on this portal in Cookie settings. We keep that choice as proof, like a choice in the cookie banner. If you switched them on earlier and your browser sends the signal afterwards, we ask you which holds; until you answer, the signal does.",
    )
}
