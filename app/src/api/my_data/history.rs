//! What the holder corrected and asked for, with who was told (Art. 19 GDPR), and the server
//! functions that file a request or an objection to direct marketing.

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A recipient of corrected data, and whether it was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToldView {
    pub recipient: String,
    pub told: bool,
    /// "Verteld op …" / "Nog niet: …", in the page's language.
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionView {
    pub at: String,
    /// "Account en profiel — Telefoonnummer".
    pub what: String,
    pub recipients: Vec<ToldView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub open: bool,
    pub received: String,
    pub concerns: Option<String>,
    pub statement: String,
    pub recipients: Vec<ToldView>,
}

/// A staff member opened the holder's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    pub at: String,
    /// The staff member's address and role: "support@… (support)".
    pub who: String,
    /// Why: "verzoek 12".
    pub purpose: String,
    /// The day the retention purge deletes the entry.
    pub deleted_on: Option<String>,
}

/// The holder's corrections and requests, and their objection to direct marketing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub corrections: Vec<CorrectionView>,
    pub requests: Vec<RequestView>,
    /// Who at the company looked at the holder's data, newest first.
    pub staff_access: Vec<AccessView>,
    /// Since when the holder objects to direct marketing, if they do.
    pub marketing_objection: Option<String>,
}

#[cfg(feature = "ssr")]
pub(super) async fn history(
    ctx: &crate::context::AppContext,
    account: &domain::AccountId,
    lang: domain::Lang,
    titles: &std::collections::HashMap<String, String>,
) -> Result<HistoryView, AppError> {
    use crate::i18n::tr;
    use domain::{Lang, RequestKind, RequestStatus};
    use workflows::my_data::Told;
    let fail = |e| crate::auth::fail(crate::auth::internal("the history could not be read", e));
    let local = ctx.facts.local_time();
    let stamp = |at| local.moment(at, lang);
    let title = |id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let told = |t: Told| ToldView {
        state: match (t.told_at, t.channel.as_str(), lang) {
            (Some(at), _, Lang::Nl) => format!("verteld op {}", stamp(at)),
            (Some(at), _, Lang::En) => format!("told on {}", stamp(at)),
            (None, "staff", Lang::Nl) => "wordt verteld zodra de correctie is gemaakt".into(),
            (None, "staff", Lang::En) => "will be told once the correction is made".into(),
            (None, _, Lang::Nl) => "wordt verteld (onderweg)".into(),
            (None, _, Lang::En) => "being told (on its way)".into(),
        },
        told: t.told_at.is_some(),
        recipient: t.recipient,
    };
    let (corrections, requests) = ctx.my_data.history(account).await.map_err(fail)?;
    let corrections = corrections
        .into_iter()
        .map(|c| CorrectionView {
            at: stamp(c.at),
            what: format!(
                "{} — {}",
                title(&c.category),
                super::view::field_label(&c.field, lang)
            ),
            recipients: c.recipients.into_iter().map(told).collect(),
        })
        .collect();
    let requests = requests
        .into_iter()
        .map(|r| RequestView {
            id: r.id,
            kind: kind_label(r.kind, lang).to_owned(),
            status: match r.status {
                RequestStatus::Open => tr(lang, "In behandeling", "Being handled"),
                RequestStatus::Closed => tr(lang, "Afgehandeld", "Handled"),
                RequestStatus::Cancelled => tr(lang, "Ingetrokken", "Cancelled"),
            }
            .to_owned(),
            open: r.status == RequestStatus::Open,
            received: stamp(r.received_at),
            concerns: r.category.as_deref().map(title),
            statement: if r.kind == RequestKind::Objection
                && r.details == workflows::my_data::DIRECT_MARKETING
            {
                tr(
                    lang,
                    "Geen direct marketing meer",
                    "No more direct marketing",
                )
                .to_owned()
            } else {
                r.details
            },
            recipients: r.recipients.into_iter().map(told).collect(),
        })
        .collect();
    let objection = ctx
        .my_data
        .marketing_objection(account)
        .await
        .map_err(fail)?;
    let access_rule = ctx
        .facts
        .retention_rule(workflows::retention::STAFF_ACCESS_RULE);
    let staff_access = ctx
        .requests
        .accesses(account)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|a| AccessView {
            at: ctx.requests.local_time(a.accessed_at, lang),
            who: format!(
                "{} ({})",
                a.staff_email,
                match (a.staff_role.as_str(), lang) {
                    ("admin", Lang::Nl) => "beheerder",
                    ("admin", Lang::En) => "admin",
                    (_, Lang::Nl) => "klantenservice",
                    (_, Lang::En) => "support",
                }
            ),
            deleted_on: access_rule
                .and_then(|rule| workflows::retention::deleted_on(rule, a.accessed_at.date_naive()))
                .map(|day| domain::time::date(day, lang)),
            purpose: match a.purpose.strip_prefix("request:") {
                Some(id) => format!("{} {id}", tr(lang, "Verzoek", "Request")),
                None => a.purpose,
            },
        })
        .collect();
    Ok(HistoryView {
        corrections,
        requests,
        staff_access,
        marketing_objection: objection.map(stamp),
    })
}

/// A request kind in words.
pub fn kind_label(kind: domain::RequestKind, lang: domain::Lang) -> &'static str {
    kind.describe(lang)
}

/// Files a request for staff: a correction or supplementary statement, a restriction or an
/// objection, with what the holder writes.
#[server(endpoint = "my_data/file_request")]
pub async fn file_request(
    lang: String,
    #[server(default)] kind: String,
    #[server(default)] category: String,
    #[server(default)] details: String,
    /// `requests` when filed from "Mijn verzoeken" (the answer goes back there).
    #[server(default)]
    from: String,
) -> Result<(), AppError> {
    use crate::api::{FieldError, Problem};
    use workflows::my_data::{RequestError, RequestProblem};
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    crate::context::ctx()?
        .my_data
        .file_request(&account.id, &kind, &category, &details)
        .await
        .map_err(|e| {
            crate::auth::fail(match e {
                RequestError::Invalid(problems) => AppError::Invalid(
                    problems
                        .into_iter()
                        .map(|(field, problem)| FieldError {
                            field: field.to_owned(),
                            problem: match problem {
                                RequestProblem::Statement(p) => Problem::Statement(p),
                                RequestProblem::Kind | RequestProblem::Category => {
                                    Problem::ChoiceInvalid
                                }
                            },
                        })
                        .collect(),
                ),
                RequestError::Store(e) => crate::auth::internal("a request could not be filed", e),
            })
        })?;
    leptos_axum::redirect(&if from == "requests" {
        format!("/{}/requests?notice=request-filed", lang.code())
    } else {
        format!("/{}/my-data?notice=request-filed#requests", lang.code())
    });
    Ok(())
}

/// Objects to direct marketing at once (Art. 21(2)–(3) GDPR), or withdraws the objection.
#[server(endpoint = "my_data/direct_marketing")]
pub async fn direct_marketing(lang: String, object: bool) -> Result<(), AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    crate::context::ctx()?
        .my_data
        .object_to_marketing(&account.id, object)
        .await
        .map_err(|e| {
            crate::auth::fail(crate::auth::internal("the objection could not be saved", e))
        })?;
    let notice = if object {
        "marketing-objected"
    } else {
        "marketing-allowed"
    };
    leptos_axum::redirect(&format!("/{}/my-data?notice={notice}#rights", lang.code()));
    Ok(())
}
