use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything on the "my data" page, in the language asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDataView {
    pub provider: String,
    pub categories: Vec<CategoryView>,
    pub history: super::HistoryView,
}

/// One category with the facts Art. 15(1) GDPR asks for, and the holder's items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub id: String,
    pub title: String,
    pub facts: Vec<Fact>,
    pub at_provider: bool,
    pub source: SourceView,
    pub items: Vec<ItemView>,
}

/// A labelled fact: "Waarvoor" — "Je account …".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceView {
    Here,
    Fetched { at: String },
    Unavailable { at: String },
    NotHeld,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: String,
    pub fields: Vec<Fact>,
    /// Fields of a provider record the holder may correct: key, label, current value.
    pub correctable: Vec<(String, String, String)>,
    /// "Bewaard tot en met 2027-02-22, verwijderd op 2027-02-23", or the rule's words when the
    /// day is not known yet.
    pub kept: String,
}

#[server(endpoint = "my_data", input = server_fn::codec::GetUrl)]
pub async fn my_data(lang: String) -> Result<MyDataView, AppError> {
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    let ctx = crate::context::ctx()?;
    let categories = categories(&ctx, &account.id, lang).await?;
    let titles = categories
        .iter()
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect();
    let history = super::history::history(&ctx, &account.id, lang, &titles).await?;
    Ok(MyDataView {
        provider: ctx.facts.provider.display_name.clone(),
        categories,
        history,
    })
}

/// Every category of the catalogue with the account's items, as its holder (or staff working
/// the holder's request) reads it.
#[cfg(feature = "ssr")]
pub(crate) async fn categories(
    ctx: &crate::context::AppContext,
    account: &domain::AccountId,
    lang: domain::Lang,
) -> Result<Vec<CategoryView>, AppError> {
    use crate::i18n::tr;
    use domain::Lang;
    let reports =
        ctx.my_data.report(account).await.map_err(|e| {
            crate::auth::fail(crate::auth::internal("my data could not be read", e))
        })?;
    let provider = ctx.facts.provider.display_name.clone();
    use workflows::my_data::words;
    let local = ctx.facts.local_time();
    let stamp = |at| local.moment(at, lang);
    let mut categories = Vec::new();
    for (described, report) in ctx.facts.catalogue().zip(reports) {
        let (category, rule) = (described.category, described.rule);
        let at_provider = described.held_by() == domain::Holder::Provider;
        let recipients = if category.recipients.is_empty() {
            tr(
                lang,
                "Niemand buiten ons bedrijf",
                "Nobody outside our company",
            )
            .to_owned()
        } else {
            category
                .recipients
                .iter()
                .map(|r| r.get(lang))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let held = if at_provider {
            match lang {
                Lang::Nl => format!("Bij {provider}, onze groothandelsleverancier"),
                Lang::En => format!("At {provider}, our wholesale provider"),
            }
        } else {
            tr(lang, "Bij ons", "With us").to_owned()
        };
        let facts = vec![
            Fact {
                label: tr(lang, "Welke gegevens", "What data").into(),
                value: category.fields.get(lang).into(),
            },
            Fact {
                label: tr(lang, "Waarvoor", "Purpose").into(),
                value: rule.purpose.get(lang).into(),
            },
            Fact {
                label: tr(lang, "Grondslag", "Legal basis").into(),
                value: rule.basis.describe(lang).into(),
            },
            Fact {
                label: tr(lang, "Ontvangers", "Recipients").into(),
                value: recipients,
            },
            Fact {
                label: tr(lang, "Bewaartermijn", "Kept for").into(),
                value: format!("{} ({})", rule.describe_period(lang), rule.ground.get(lang)),
            },
            Fact {
                label: tr(lang, "Herkomst", "Source").into(),
                value: category.source.get(lang).into(),
            },
            Fact {
                label: tr(lang, "Waar", "Where").into(),
                value: held,
            },
        ];
        let items = report
            .items
            .into_iter()
            .map(|item| ItemView {
                correctable: if at_provider {
                    item.fields
                        .iter()
                        .filter(|(key, _)| workflows::my_data::CORRECTABLE.contains(&key.as_str()))
                        .map(|(key, value)| {
                            (
                                key.clone(),
                                field_label(key, lang),
                                words::value(key, value, lang, &local),
                            )
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                id: item.id,
                fields: item
                    .fields
                    .into_iter()
                    .map(|(key, value)| Fact {
                        label: field_label(&key, lang),
                        value: words::value(&key, &value, lang, &local),
                    })
                    .collect(),
                // The retention purge deletes it in the night after its last day.
                kept: match item.kept_until {
                    Some(day) => {
                        let gone = domain::time::date(day.succ_opt().unwrap_or(day), lang);
                        let day = domain::time::date(day, lang);
                        match lang {
                            Lang::Nl => format!("Bewaard tot en met {day}, verwijderd op {gone}"),
                            Lang::En => format!("Kept until {day}, deleted on {gone}"),
                        }
                    }
                    None => rule.describe_period(lang),
                },
            })
            .collect();
        use workflows::my_data::Source;
        let source = match report.source {
            Source::Here => SourceView::Here,
            Source::Fetched { at } => SourceView::Fetched { at: stamp(at) },
            Source::Unavailable { at } => SourceView::Unavailable { at: stamp(at) },
            Source::NotHeld => SourceView::NotHeld,
        };
        categories.push(CategoryView {
            id: category.id.clone(),
            title: category.title.get(lang).into(),
            facts,
            at_provider,
            source,
            items,
        });
    }
    Ok(categories)
}

/// The words for a field's key (the staff view and the history use them too).
#[cfg(feature = "ssr")]
pub(super) fn field_label(key: &str, lang: domain::Lang) -> String {
    workflows::my_data::words::label(key, lang)
}
