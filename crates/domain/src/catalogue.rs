//! The personal-data catalogue: every category of personal data the portal and the provider
//! hold about an account holder, with the facts Art. 15(1) GDPR entitles them to — what it
//! holds, who receives it, where it comes from — and the retention matrix row that gives its
//! purpose, legal basis, period and where it is held. Configuration, with the client's own
//! categories as defaults (see `server/config/defaults.toml`).

use crate::{
    lang::Localized,
    retention::{Holder, RetentionRule},
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One category of personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCategory {
    /// A stable key, e.g. `account`: page anchors and exports use it.
    pub id: String,
    pub title: Localized,
    /// What an item of this category holds, in words.
    pub fields: Localized,
    /// The retention matrix row: purpose, legal basis, period, trigger and where it is held.
    pub retention: String,
    /// Who receives the data (Art. 15(1)(c)); empty when nobody outside the company does.
    pub recipients: Vec<Localized>,
    /// Where the data comes from (Art. 15(1)(g)).
    pub source: Localized,
}

/// A category with its retention rule, as the pages use it.
#[derive(Debug, Clone, Copy)]
pub struct Described<'a> {
    pub category: &'a DataCategory,
    pub rule: &'a RetentionRule,
}

impl Described<'_> {
    pub fn held_by(&self) -> Holder {
        self.rule.held_by
    }

    /// The last day an item may be kept, when its period runs from `start` (the item's
    /// recording, the end of its fiscal year, …); `None` when the period runs from an event
    /// that has not happened (the account's closure, the end of the contract).
    pub fn kept_until(&self, start: Option<NaiveDate>) -> Option<NaiveDate> {
        self.rule.period.expires_on(start?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retention::{LegalBasis, RetentionPeriod, Trigger};

    fn rule(period: RetentionPeriod) -> RetentionRule {
        RetentionRule {
            id: "sign-in-logs".into(),
            held_by: Holder::Portal,
            categories: Localized::new("Aanmeldgeschiedenis", "Sign-in history"),
            purpose: Localized::new("Beveiliging", "Security"),
            basis: LegalBasis::LegitimateInterest,
            ground: Localized::new("Art. 32", "Art. 32"),
            period,
            trigger: Trigger::Collected,
            on_erasure: Default::default(),
        }
    }

    #[test]
    fn an_item_is_kept_until_its_period_after_its_start_and_without_a_start_no_date_is_made_up() {
        let category = DataCategory {
            id: "sign-in-logs".into(),
            title: Localized::new("Aanmeldgeschiedenis", "Sign-in history"),
            fields: Localized::new("Tijdstip, apparaat", "Time, device"),
            retention: "sign-in-logs".into(),
            recipients: vec![],
            source: Localized::new("Je browser", "Your browser"),
        };
        let rule = rule(RetentionPeriod::days(90));
        let described = Described {
            category: &category,
            rule: &rule,
        };
        let start = NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date");
        assert_eq!(
            described.kept_until(Some(start)),
            NaiveDate::from_ymd_opt(2027, 2, 22)
        );
        assert_eq!(described.kept_until(None), None);
        assert_eq!(described.held_by(), Holder::Portal);
    }
}
