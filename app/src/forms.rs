//! What every form shares: fields with their labels and field-level messages, the error
//! summary, the notice a redirect brings (`?notice=`), and the hidden language field.
//!
//! Forms are `ActionForm`s: without JavaScript they are plain POSTs. A refused one comes back to
//! its page at `#error-summary`, its error carried by the server in a short-lived cookie and
//! handed to the page as a [`FormFlash`]; the page shows it exactly as it shows an answer read
//! with JavaScript.

use crate::{
    api::{AppError, Problem},
    i18n::{tr, use_lang},
};
use domain::Lang;
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::{use_location, use_query_map};
use serde::{Deserialize, Serialize};

/// The id of the summary a refused form's page opens at (without JavaScript).
pub const SUMMARY_ID: &str = "error-summary";

/// A server function's error as a refused form's redirect carried it: the function's path and
/// its error, encoded as the function encodes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFlash {
    pub path: String,
    pub error: String,
}

/// The carried error, for the page it was carried to.
#[derive(Debug, Clone)]
struct Carried {
    page: String,
    path: String,
    error: AppError,
}

/// Reads the error a refused form's redirect carried to this page (on the server from the
/// request, in the browser from what the server wrote into the page), for [`error_of`].
pub fn provide_form_flash() {
    let flash = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<FormFlash>().cloned())
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<FormFlash>
        }
    })
    .into_inner();
    if let Some(flash) = flash {
        provide_context(Carried {
            page: use_location().pathname.get_untracked(),
            error: leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&flash.error),
            path: flash.path,
        });
    }
}

/// The error of the action's last run, if it failed; before any run, the error a refused
/// form's redirect carried to this page for this action.
pub fn error_of<S, O>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let carried = use_context::<Carried>().filter(|c| c.path == S::PATH);
    let pathname = use_location().pathname;
    Signal::derive(move || {
        action.value().with(|v| match v {
            Some(result) => result.as_ref().err().cloned(),
            None => carried
                .as_ref()
                .filter(|c| pathname.with(|p| *p == c.page))
                .map(|c| c.error.clone()),
        })
    })
}

/// Counts `saved` up each time `action` succeeds (with JavaScript), so the page's resources that
/// depend on it are read again and show what the action changed.
pub fn reload_after<S>(action: ServerAction<S>, saved: RwSignal<u32>)
where
    S: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(())))) {
            saved.update(|n| *n += 1);
        }
    });
}

/// The form's language, so the server answers (and redirects) in it.
#[component]
pub fn LangField() -> impl IntoView {
    let lang = use_lang();
    view! { <input type="hidden" name="lang" value=move || lang.get().code() /> }
}

/// One labelled input with its hint and its message.
#[component]
pub fn Field(
    name: &'static str,
    label: (&'static str, &'static str),
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: Option<(&'static str, &'static str)>,
    #[prop(optional)] inputmode: &'static str,
    /// The value the field starts with (a stored value to correct).
    #[prop(optional, into)]
    value: Option<String>,
    #[prop(default = true)] required: bool,
    /// Several lines of free text (a `textarea`) instead of one line.
    #[prop(optional)]
    multiline: bool,
    /// The input's id where a page has several forms with this field (default `field-{name}`).
    #[prop(optional, into)]
    id: Option<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let problem = move || error.with(|e| e.as_ref().and_then(|e| e.problem_with(name)));
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if problem().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || problem().is_some()>
            <label for=id.clone()>{move || tr(lang.get(), label.0, label.1)}</label>
            {hint.map(|(nl, en)| view! { <p class="field-hint" id=hint_id.clone()>{move || tr(lang.get(), nl, en)}</p> })}
            {move || problem().map(|p| view! { <p class="field-error" id=error_id.clone()>{p.message(lang.get())}</p> })}
            {if multiline {
                view! {
                    <textarea
                        id=id.clone()
                        name=name
                        rows="5"
                        required=required
                        aria-invalid=move || problem().is_some().then_some("true")
                        aria-describedby=described
                    >{value}</textarea>
                }.into_any()
            } else {
                view! {
                    <input
                        id=id.clone()
                        name=name
                        type=kind
                        autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                        inputmode=(!inputmode.is_empty()).then_some(inputmode)
                        value=value
                        required=required
                        aria-invalid=move || problem().is_some().then_some("true")
                        aria-describedby=described
                    />
                }.into_any()
            }}
        </div>
    }
}

/// The error summary of a failed action (NL Design System / GOV.UK): "Er is een probleem",
/// then each problem, a field's as a link to that field, its message also at the field. It
/// takes the focus when it appears; a refused form's page opens at it without JavaScript.
#[component]
pub fn FormError(
    error: Signal<Option<AppError>>,
    /// What this form's field ids start with where they are not `field-{name}`.
    #[prop(optional, into)]
    ids: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let ids = ids.unwrap_or_else(|| "field-".to_owned());
    // There from the start: the summary a refused form's redirect points at.
    let landed = error.with_untracked(Option::is_some);
    let summary = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if error.with(Option::is_some)
            && let Some(element) = summary.get()
        {
            let _ = element.focus();
        }
    });
    move || {
        let lang = lang.get();
        error.get().map(|e| {
            let items = match &e {
                AppError::Invalid(problems) => problems
                    .iter()
                    .map(|p| {
                        let href = format!("#{ids}{}", p.field);
                        view! { <li><a href=href>{p.problem.message(lang)}</a></li> }
                    })
                    .collect_view()
                    .into_any(),
                other => view! { <li>{error_message(other, lang)}</li> }.into_any(),
            };
            view! {
                <div class="error-summary" id=landed.then_some(SUMMARY_ID) tabindex="-1" node_ref=summary>
                    <div role="alert">
                        <h2 class="error-summary-title">{tr(lang, "Er is een probleem", "There is a problem")}</h2>
                        <ul class="error-summary-list">{items}</ul>
                    </div>
                </div>
            }
        })
    }
}

/// The message for an error, in the person's language.
pub fn error_message(error: &AppError, lang: Lang) -> String {
    let text = match error {
        AppError::Internal | AppError::Unreachable => tr(
            lang,
            "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
            "Something went wrong on our side. Please try again later.",
        ),
        AppError::SignInRequired => tr(lang, "Log eerst in.", "Please sign in first."),
        AppError::Forbidden => tr(
            lang,
            "Dit is niet toegestaan voor je account.",
            "Your account may not do this.",
        ),
        AppError::ReauthRequired => tr(
            lang,
            "Bevestig eerst opnieuw dat jij het bent.",
            "Please confirm it is you first.",
        ),
        AppError::InvalidCredentials => tr(
            lang,
            "Dit e-mailadres en dit wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw.",
            "This e-mail address and password do not match. Check them and try again.",
        ),
        AppError::Throttled { clock, .. } => {
            return match lang {
                Lang::Nl => format!("Te veel mislukte pogingen. Probeer het opnieuw na {clock}."),
                Lang::En => format!("Too many failed attempts. Try again after {clock}."),
            };
        }
        AppError::TooSoon { clock } => {
            return match lang {
                Lang::Nl => format!(
                    "We hebben de e-mail net gestuurd. Je kunt hem na {clock} opnieuw laten sturen."
                ),
                Lang::En => {
                    format!(
                        "We sent the e-mail just now. You can have it sent again after {clock}."
                    )
                }
            };
        }
        AppError::Unconfirmed => tr(
            lang,
            "Je e-mailadres is nog niet bevestigd. Open de link in de e-mail die we je stuurden; registreer opnieuw voor een nieuwe link.",
            "Your e-mail address is not confirmed yet. Open the link in the e-mail we sent you; register again for a new link.",
        ),
        AppError::InvalidCode => return Problem::CodeInvalid.message(lang),
        AppError::InvalidLink => tr(
            lang,
            "Deze link werkt niet (meer): hij is onbekend, al gebruikt of verlopen. Vraag een nieuwe aan.",
            "This link does not work (any more): it is unknown, used or expired. Please ask for a new one.",
        ),
        AppError::Stale => tr(
            lang,
            "Je gegevens zijn intussen ergens anders gewijzigd. We hebben niets opgeslagen: hieronder staat de nieuwe stand; breng je wijziging opnieuw aan.",
            "Your data was changed elsewhere in the meantime. Nothing was saved: the current values are below; please make your change again.",
        ),
        AppError::DeletionPending => tr(
            lang,
            "De verwijdering van je account is al aangevraagd. Je hoeft niets meer te doen.",
            "The deletion of your account has been asked for already. There is nothing more to do.",
        ),
        AppError::InProgress => tr(
            lang,
            "Er wordt al een kopie van je gegevens gemaakt. Zodra die klaar is, kun je een nieuwe aanvragen.",
            "A copy of your data is being made already. Once it is ready, you can ask for a new one.",
        ),
        AppError::BadRequest => tr(
            lang,
            "Dit verzoek kon niet worden gelezen; er is niets veranderd. Laad de pagina opnieuw en probeer het nog eens.",
            "This request could not be read; nothing changed. Reload the page and try again.",
        ),
        AppError::NotFound => tr(
            lang,
            "Dit bestaat niet (meer), of het is niet van jou.",
            "This does not exist (any more), or it is not yours.",
        ),
        AppError::Closed => tr(
            lang,
            "Dit verzoek is al afgesloten; er is niets veranderd.",
            "This request is closed already; nothing changed.",
        ),
        AppError::Invalid(_) => tr(
            lang,
            "Controleer de gemarkeerde velden.",
            "Please check the marked fields.",
        ),
    };
    text.to_owned()
}

/// The message a redirect brings along as `?notice=…`.
#[component]
pub fn Notice() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        let code = query.with(|q| q.get("notice"))?;
        let text = notice_text(&code, lang.get())?;
        // A link that no longer works or an address already taken is a warning; the rest
        // say that something was done.
        let class = if matches!(code.as_str(), "link-invalid" | "address-taken") {
            "notice"
        } else {
            "notice notice-success"
        };
        Some(view! { <p class=class role="status">{text}</p> })
    }
}

fn notice_text(code: &str, lang: Lang) -> Option<&'static str> {
    Some(match code {
        "confirmed" => tr(
            lang,
            "Je e-mailadres is bevestigd. Je kunt nu inloggen.",
            "Your e-mail address is confirmed. You can sign in now.",
        ),
        "link-invalid" => tr(
            lang,
            "Deze link werkt niet (meer): hij is onbekend, al gebruikt of verlopen.",
            "This link does not work (any more): it is unknown, used or expired.",
        ),
        "signed-out" => tr(lang, "Je bent uitgelogd.", "You are signed out."),
        "mail-resent" => tr(
            lang,
            "We hebben de e-mail opnieuw gestuurd. Gebruik de link in de nieuwste e-mail.",
            "We sent the e-mail again. Use the link in the newest e-mail.",
        ),
        "message-sent" => tr(
            lang,
            "Je bericht is verstuurd.",
            "Your message has been sent.",
        ),
        "request-cancelled" => tr(
            lang,
            "Je verzoek is ingetrokken.",
            "Your request has been withdrawn.",
        ),
        "request-taken" => tr(
            lang,
            "Je behandelt dit verzoek nu. Er is niets naar de klant gestuurd.",
            "You are handling this request now. Nothing was sent to the customer.",
        ),
        "request-released" => tr(
            lang,
            "Het verzoek staat weer in de wachtrij, voor iedereen.",
            "The request is back in the queue, for anyone.",
        ),
        "request-replied" => tr(
            lang,
            "Je bericht staat bij het verzoek en is naar de klant gemaild.",
            "Your message is with the request and was e-mailed to the customer.",
        ),
        "request-info-asked" => tr(
            lang,
            "Je vraag is naar de klant gemaild. De termijn staat stil tot het antwoord.",
            "Your question was e-mailed to the customer. The deadline stands still until the answer.",
        ),
        "request-extended" => tr(
            lang,
            "De termijn is verlengd en de klant heeft de reden per e-mail gekregen.",
            "The deadline was extended and the customer was e-mailed the reason.",
        ),
        "request-completed" => tr(
            lang,
            "Het verzoek is afgerond en het antwoord is naar de klant gemaild.",
            "The request is completed and the answer was e-mailed to the customer.",
        ),
        "request-refused" => tr(
            lang,
            "Het verzoek is afgewezen; de klant heeft de redenen en zijn mogelijkheden per e-mail gekregen.",
            "The request was refused; the customer was e-mailed the reasons and their remedies.",
        ),
        "job-retried" => tr(
            lang,
            "De opdracht voor de leverancier staat weer in de wachtrij.",
            "The job for the provider is queued again.",
        ),
        "password-reset" => tr(
            lang,
            "Je nieuwe wachtwoord is ingesteld en je bent overal uitgelogd. Log in met je nieuwe wachtwoord.",
            "Your new password is set and you were signed out everywhere. Sign in with your new password.",
        ),
        "password-changed" => tr(
            lang,
            "Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd.",
            "Your password was changed. You were signed out on other devices.",
        ),
        "email-sent" => tr(
            lang,
            "We hebben een bevestigingslink naar het nieuwe adres gestuurd. Je adres verandert zodra je die opent.",
            "We sent a confirmation link to the new address. Your address changes once you open it.",
        ),
        "email-changed" => tr(
            lang,
            "Je e-mailadres is gewijzigd.",
            "Your e-mail address was changed.",
        ),
        "address-taken" => tr(
            lang,
            "Dat e-mailadres hoort inmiddels bij een ander account. Er is niets gewijzigd.",
            "That e-mail address now belongs to another account. Nothing was changed.",
        ),
        "two-step-on" => tr(
            lang,
            "Inloggen in twee stappen staat aan.",
            "Two-step sign-in is on.",
        ),
        "two-step-off" => tr(
            lang,
            "Inloggen in twee stappen staat uit.",
            "Two-step sign-in is off.",
        ),
        "sessions-ended" => tr(
            lang,
            "Je bent op alle andere apparaten uitgelogd.",
            "You were signed out on every other device.",
        ),
        "unlist-requested" => tr(
            lang,
            "We hebben je verzoek doorgegeven. Hieronder zie je wanneer het is uitgevoerd.",
            "We passed your request on. Below you can see when it has been carried out.",
        ),
        "correction-requested" => tr(
            lang,
            "We hebben je correctie aan onze leverancier doorgegeven. Onder ‘Correcties’ zie je wanneer die is verwerkt.",
            "We passed your correction on to our provider. Under ‘Corrections’ you can see when it has been applied.",
        ),
        "request-filed" => tr(
            lang,
            "We hebben je verzoek ontvangen. Een medewerker behandelt het; onder ‘Je verzoeken’ zie je hoe het ervoor staat.",
            "We received your request. A member of staff handles it; under ‘Your requests’ you can see where it stands.",
        ),
        "marketing-objected" => tr(
            lang,
            "Je krijgt van ons geen direct marketing meer. Dat gaat meteen in.",
            "You will get no more direct marketing from us. This takes effect at once.",
        ),
        "marketing-allowed" => tr(
            lang,
            "Je bezwaar tegen direct marketing is ingetrokken.",
            "Your objection to direct marketing is withdrawn.",
        ),
        "cookies-saved" => tr(
            lang,
            "Je cookiekeuze is bewaard. Cookies die je niet meer toestaat, zijn verwijderd.",
            "Your cookie choice is saved. Cookies you no longer allow have been removed.",
        ),
        "deletion-cancelled" => tr(
            lang,
            "Welkom terug. Je hebt ingelogd, dus de verwijdering van je account is ingetrokken: je account en je gegevens blijven bestaan.",
            "Welcome back. You signed in, so the deletion of your account is called off: your account and your data stay.",
        ),
        "export-requested" => tr(
            lang,
            "We maken een kopie van je gegevens. Hieronder zie je hoe ver we zijn; je krijgt een e-mail als hij klaar is.",
            "We are making a copy of your data. Below you can see how far we are; you will get an e-mail when it is ready.",
        ),
        "profile-corrected" => tr(
            lang,
            "Je gegevens zijn gecorrigeerd.",
            "Your data was corrected.",
        ),
        "profile-unchanged" => tr(
            lang,
            "Er was niets veranderd, dus we hebben niets opgeslagen.",
            "Nothing had changed, so nothing was saved.",
        ),
        "staff-created" => tr(
            lang,
            "Het medewerkersaccount is aangemaakt. Bij de eerste keer inloggen stelt de medewerker inloggen in twee stappen in.",
            "The staff account was created. At their first sign-in they set up two-step sign-in.",
        ),
        _ => return None,
    })
}
