//! What deleting the account will do, before the holder confirms: per category of the catalogue
//! whether it is erased (here or at the provider) or kept — and then on what ground and until
//! when — and who will be told.

use super::Erasures;
use crate::my_data::Source;
use chrono::NaiveDate;
use domain::{AccountId, Holder, Lang, Localized, OnErasure};
use store::StoreError;

/// A category that will be erased, with how many items it holds now (`None`: the provider
/// did not answer, so we cannot say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCategory {
    pub id: String,
    pub title: Localized,
    pub items: Option<usize>,
}

/// A category the law makes us keep (detached or pseudonymised), and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptCategory {
    pub id: String,
    pub title: Localized,
    pub items: usize,
    pub how: OnErasure,
    /// The ground in the retention matrix.
    pub ground: Localized,
    /// The period in words, e.g. "7 jaar na afloop van het boekjaar".
    pub period: Localized,
    /// The last day the newest item may be kept, when that is known already.
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub erased_here: Vec<PlannedCategory>,
    pub erased_at_provider: Vec<PlannedCategory>,
    pub kept: Vec<KeptCategory>,
    /// The suppliers that received a quote request, told to erase it too (Art. 19 GDPR).
    pub suppliers: Vec<String>,
    /// Whether a number is in the telephone directory (removed, Art. 17(2) GDPR); `None` when
    /// the provider did not answer.
    pub listed: Option<bool>,
    /// Days between asking and erasing, unless asked for at once.
    pub cool_off_days: u64,
}

impl Erasures {
    pub async fn plan(&self, account: &AccountId) -> Result<Plan, StoreError> {
        let report = self.my_data.report(account).await?;
        let mut plan = Plan {
            erased_here: Vec::new(),
            erased_at_provider: Vec::new(),
            kept: Vec::new(),
            suppliers: self
                .my_data
                .suppliers(account)
                .await?
                .into_iter()
                .map(|s| s.name)
                .collect(),
            listed: Some(false),
            cool_off_days: self.settings.cool_off.as_secs() / 86_400,
        };
        for (described, category) in self.facts.catalogue().zip(report) {
            let title = described.category.title.clone();
            let known = !matches!(category.source, Source::Unavailable { .. });
            if described.category.id == "provider-directory" {
                plan.listed = known.then_some(!category.items.is_empty());
            }
            match (described.rule.on_erasure, described.held_by()) {
                (OnErasure::Erase, Holder::Portal) => plan.erased_here.push(PlannedCategory {
                    id: category.id,
                    title,
                    items: Some(category.items.len()),
                }),
                (OnErasure::Erase, Holder::Provider) => {
                    plan.erased_at_provider.push(PlannedCategory {
                        id: category.id,
                        title,
                        items: known.then_some(category.items.len()),
                    })
                }
                (how, _) => plan.kept.push(KeptCategory {
                    id: category.id,
                    title,
                    items: category.items.len(),
                    how,
                    ground: described.rule.ground.clone(),
                    period: Localized::new(
                        described.rule.describe_period(Lang::Nl),
                        described.rule.describe_period(Lang::En),
                    ),
                    until: category.items.iter().filter_map(|i| i.kept_until).max(),
                }),
            }
        }
        Ok(plan)
    }

    /// What the law keeps after any erasure, one line per category in `lang`: for the
    /// confirmation, when the account's items can no longer be counted.
    pub(super) fn kept_lines(&self, lang: Lang) -> Vec<String> {
        self.facts
            .catalogue()
            .filter(|d| d.rule.on_erasure != OnErasure::Erase)
            .map(|d| {
                format!(
                    "{}: {} ({})",
                    d.category.title.get(lang),
                    d.rule.describe_period(lang),
                    d.rule.ground.get(lang)
                )
            })
            .collect()
    }
}
