use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One system's part, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    /// `portal`, `directory`, `provider`, `recipients` or `confirmation`.
    pub system: String,
    pub name: String,
    /// `waiting`, `pending`, `done`, `not-needed`, `retrying` or `failed`.
    pub state: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionStatusView {
    /// `scheduled`, `running`, `complete` or `cancelled`.
    pub phase: String,
    pub summary: String,
    /// Only when every system is done.
    pub complete: bool,
    pub requested_at: String,
    pub steps: Vec<StepView>,
    /// Each recipient told, with when (or that it is still waiting).
    pub recipients: Vec<(String, Option<String>)>,
    pub kept: Vec<String>,
}

/// Where the erasure behind a status link stands; `None` for an unknown link. Needs no
/// sign-in (the account is deactivated or gone) and shows no personal data.
#[server(endpoint = "deletion_status", input = server_fn::codec::GetUrl)]
pub async fn deletion_status(
    lang: String,
    token: String,
) -> Result<Option<DeletionStatusView>, AppError> {
    use crate::i18n::tr;
    use domain::Lang;
    use workflows::erasure::{Phase, StepState, System};
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let ctx = crate::context::ctx()?;
    let Some(status) = ctx.erasures.status(&token, lang).await.map_err(|e| {
        crate::auth::fail(crate::auth::internal(
            "a deletion's status could not be read",
            e,
        ))
    })?
    else {
        return Ok(None);
    };
    let local = ctx.facts.local_time();
    let stamp = |at| local.moment(at, lang);
    let org = &ctx.facts.organisation.name;
    let provider = &ctx.facts.provider.display_name;
    let nl = lang == Lang::Nl;
    let (phase, summary) = match &status.phase {
        Phase::Scheduled { erase_after } => (
            "scheduled",
            if nl {
                format!("Je account is gedeactiveerd. Op {} wissen we je gegevens. Bedacht? Log voor die tijd in, dan wordt de verwijdering ingetrokken.", stamp(*erase_after))
            } else {
                format!("Your account is deactivated. On {} we erase your data. Changed your mind? Sign in before then and the deletion is called off.", stamp(*erase_after))
            },
        ),
        Phase::Running => (
            "running",
            tr(lang, "We zijn bezig je gegevens te wissen. Hieronder zie je per systeem hoe ver we zijn; de verwijdering is pas klaar als alles klaar is.", "We are erasing your data. Below you see how far each system is; the deletion is finished only when everything is.").to_owned(),
        ),
        Phase::Complete { at } => (
            "complete",
            if nl {
                format!("Je account en je gegevens zijn gewist op {}.", stamp(*at))
            } else {
                format!("Your account and your data were erased on {}.", stamp(*at))
            },
        ),
        Phase::Cancelled { at } => (
            "cancelled",
            if nl {
                format!("Deze verwijdering is op {} ingetrokken: je logde in. Je account bestaat nog.", stamp(*at))
            } else {
                format!("This deletion was called off on {}: you signed in. Your account still exists.", stamp(*at))
            },
        ),
    };
    let steps = status
        .steps
        .iter()
        .map(|step| {
            let name = match step.system {
                System::Portal => format!("{org} ({})", tr(lang, "dit portaal en onze administratie", "this portal and our records")),
                System::Directory => format!("{} ({provider})", tr(lang, "Telefoongids en nummerinformatie", "Telephone directory and directory enquiries")),
                System::Provider => format!("{provider} ({})", tr(lang, "onze groothandelsleverancier", "our wholesale provider")),
                System::Recipients => tr(lang, "Wie je gegevens van ons ontving (art. 19 AVG)", "Who received your data from us (Art. 19 GDPR)").to_owned(),
                System::Confirmation => tr(lang, "Bevestiging per e-mail", "Confirmation by e-mail").to_owned(),
            };
            let (state, text) = match &step.state {
                StepState::Waiting => ("waiting", tr(lang, "Nog niet begonnen", "Not started yet").to_owned()),
                StepState::Pending { since } => ("pending", if nl { format!("Aangevraagd, nog bezig sinds {}", stamp(*since)) } else { format!("Asked for, still in progress since {}", stamp(*since)) }),
                StepState::Done { at } => ("done", if nl { format!("Klaar op {}", stamp(*at)) } else { format!("Done on {}", stamp(*at)) }),
                StepState::NotNeeded => ("not-needed", tr(lang, "Niet nodig: hier was niets van je", "Not needed: nothing of yours was there").to_owned()),
                StepState::Retrying { since, next_attempt } => ("retrying", if nl { format!("Mislukt sinds {}; we proberen het vanzelf opnieuw (volgende poging {})", stamp(*since), stamp(*next_attempt)) } else { format!("Failing since {}; we keep trying by ourselves (next attempt {})", stamp(*since), stamp(*next_attempt)) }),
                StepState::Failed { since } => ("failed", if nl { format!("Mislukt sinds {}; onze medewerkers zijn ingeschakeld en ronden het af", stamp(*since)) } else { format!("Failing since {}; our staff have been called in and will finish it", stamp(*since)) }),
            };
            StepView {
                system: step.system.as_str().to_owned(),
                name,
                state: state.to_owned(),
                text,
            }
        })
        .collect();
    Ok(Some(DeletionStatusView {
        phase: phase.to_owned(),
        summary,
        complete: status.is_complete(),
        requested_at: stamp(status.requested_at),
        steps,
        recipients: status
            .recipients
            .into_iter()
            .map(|r| (r.name, r.told_at.map(stamp)))
            .collect(),
        kept: status.kept,
    }))
}
