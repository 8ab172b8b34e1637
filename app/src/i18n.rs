//! The interface's words in each language, and the current language.
//!
//! One struct literal per language: a missing translation is a compile error, not a blank on a
//! page. (A catalogue crate such as leptos_i18n would add a build step and runtime lookups for
//! what is, here, a few dozen fixed strings.)

use domain::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

pub struct Texts {
    pub portal: &'static str,
    pub skip_to_content: &'static str,
    pub main_nav: &'static str,
    pub nav_policy: &'static str,
    pub language: &'static str,
    pub contents: &'static str,
    pub last_changed: &'static str,
    pub translation_notice: &'static str,
    pub translation_original: &'static str,
    pub matrix_caption: &'static str,
    pub matrix_data: &'static str,
    pub matrix_purpose: &'static str,
    pub matrix_basis: &'static str,
    pub matrix_period: &'static str,
    pub matrix_held_by: &'static str,
    pub matrix_held_here: &'static str,
    pub matrix_held_at_provider: &'static str,
    pub matrix_filter: &'static str,
    pub matrix_filter_hint: &'static str,
    pub matrix_shown: fn(usize, usize) -> String,
    pub complaint_intro: &'static str,
    pub complaint_link: &'static str,
    pub cookie_notice: &'static str,
    pub cookie_settings: &'static str,
    pub footer_questions: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub not_found_home: &'static str,
    pub load_failed: &'static str,
}

const NL: Texts = Texts {
    portal: "Privacyportaal",
    skip_to_content: "Naar de inhoud",
    main_nav: "Hoofdmenu",
    nav_policy: "Privacybeleid",
    language: "Taal",
    contents: "Inhoud",
    last_changed: "Laatst gewijzigd",
    translation_notice: "",
    translation_original: "",
    matrix_caption: "Welke gegevens we bewaren, waarom, op welke grond en hoe lang",
    matrix_data: "Gegevens",
    matrix_purpose: "Doel",
    matrix_basis: "Grondslag",
    matrix_period: "Bewaartermijn",
    matrix_held_by: "Waar",
    matrix_held_here: "Bij ons",
    matrix_held_at_provider: "Bij de externe aanbieder",
    matrix_filter: "Zoek in de bewaartermijnmatrix",
    matrix_filter_hint: "bijvoorbeeld: factuur, IP-adres, telefoongids",
    matrix_shown: |shown, total| format!("{shown} van {total} rijen getoond"),
    complaint_intro: "Ben je het niet eens met hoe we met je gegevens omgaan? Je hebt altijd het recht een klacht in te dienen bij de toezichthouder:",
    complaint_link: "klacht indienen",
    cookie_notice: "Welke cookies dit portaal plaatst, waarvoor en hoe lang, staat in de cookieverklaring. Alleen technisch noodzakelijke cookies plaatsen we zonder te vragen; de rest alleen als jij dat kiest, en je wijzigt je keuze even makkelijk als je haar maakte:",
    cookie_settings: "Cookie-instellingen",
    footer_questions: "Vragen, tips of klachten over privacy?",
    not_found_title: "Pagina niet gevonden",
    not_found_body: "Deze pagina bestaat niet (meer). Controleer het adres, of ga verder vanaf het privacybeleid.",
    not_found_home: "Naar het privacybeleid",
    load_failed: "Dit deel kon nu niet worden geladen. Probeer het later opnieuw.",
};

const EN: Texts = Texts {
    portal: "Privacy portal",
    skip_to_content: "Skip to content",
    main_nav: "Main menu",
    nav_policy: "Privacy policy",
    language: "Language",
    contents: "Contents",
    last_changed: "Last changed",
    translation_notice: "This is our English translation of the Dutch privacy policy, for your convenience. The Dutch text is the original; where the two differ, the Dutch text applies.",
    translation_original: "Read the original (Nederlands)",
    matrix_caption: "What data we keep, why, on what ground and for how long",
    matrix_data: "Data",
    matrix_purpose: "Purpose",
    matrix_basis: "Legal basis",
    matrix_period: "Retention period",
    matrix_held_by: "Held by",
    matrix_held_here: "Us",
    matrix_held_at_provider: "The external provider",
    matrix_filter: "Search the retention matrix",
    matrix_filter_hint: "for example: invoice, IP address, directory",
    matrix_shown: |shown, total| format!("{shown} of {total} rows shown"),
    complaint_intro: "Do you disagree with how we handle your data? You always have the right to lodge a complaint with the supervisory authority:",
    complaint_link: "lodge a complaint",
    cookie_notice: "Which cookies this portal sets, what for and for how long, is in the cookie statement. Only strictly necessary cookies are set without asking; the rest only if you choose so, and you change your choice as easily as you made it:",
    cookie_settings: "Cookie settings",
    footer_questions: "Questions, tips or complaints about privacy?",
    not_found_title: "Page not found",
    not_found_body: "This page does not exist (any more). Check the address, or continue from the privacy policy.",
    not_found_home: "Go to the privacy policy",
    load_failed: "This part could not be loaded just now. Please try again later.",
};

/// A short text in the current language, both written side by side where it is used (the
/// account pages have many one-off texts; a missing translation is still a compile error).
pub fn tr(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// "1 item", "3 items": the same word in Dutch and English, singular for one.
pub fn items(_lang: Lang, n: usize) -> String {
    match n {
        1 => "1 item".to_owned(),
        n => format!("{n} items"),
    }
}

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// The current language, provided by the page frame.
#[derive(Clone, Copy)]
pub struct CurrentLang(pub Memo<Lang>);

/// Derives the language from the URL (`/nl/…`, `/en/…`) and provides it. On other paths (a 404)
/// it is the language the server chose from `Accept-Language`.
pub fn provide_lang() -> Memo<Lang> {
    let fallback = request_lang();
    let location = use_location();
    let lang = Memo::new(move |_| {
        location
            .pathname
            .with(|path| Lang::of_path(path))
            .unwrap_or(fallback)
    });
    provide_context(CurrentLang(lang));
    lang
}

pub fn use_lang() -> Memo<Lang> {
    use_context::<CurrentLang>()
        .map(|CurrentLang(lang)| lang)
        .unwrap_or_else(|| Memo::new(|_| Lang::default()))
}

/// The language of the request being rendered: on the server the one the middleware negotiated,
/// in the browser the one the server wrote into `<html lang>`.
fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Lang>().copied())
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}
