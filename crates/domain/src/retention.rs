//! The retention matrix ("Bewaartermijnmatrix"): for each category of personal data, why it is
//! kept, on what legal ground, and for how long after which event. The policy page shows it and
//! the retention jobs enforce it, both from the same configuration.

use crate::lang::{Lang, Localized};
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// A retention period in calendar units: `30d`, `6m`, `7y`, or `0d` for "at once".
///
/// Months and years are calendar months and years: one month after 31 January is the last day
/// of February, as the law counts it, not 30 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RetentionPeriod {
    amount: u32,
    unit: PeriodUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PeriodUnit {
    Days,
    Months,
    Years,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "is not a retention period: write a whole number followed by d, m or y, e.g. \"30d\", \"6m\", \"7y\""
)]
pub struct InvalidPeriod;

impl RetentionPeriod {
    /// The longest period we accept, so date maths can never overflow: 100 years.
    const MAX_DAYS: u32 = 36_600;

    pub const fn days(amount: u32) -> Self {
        Self {
            amount,
            unit: PeriodUnit::Days,
        }
    }
    pub const fn months(amount: u32) -> Self {
        Self {
            amount,
            unit: PeriodUnit::Months,
        }
    }
    pub const fn years(amount: u32) -> Self {
        Self {
            amount,
            unit: PeriodUnit::Years,
        }
    }

    pub fn parse(input: &str) -> Result<Self, InvalidPeriod> {
        let input = input.trim();
        // The unit is the last character, however many bytes it takes: splitting at the last
        // byte cuts a character such as "é" in two, which panics.
        let unit_at = input.char_indices().last().map_or(0, |(at, _)| at);
        let (number, unit) = input.split_at(unit_at);
        let amount: u32 = number.parse().map_err(|_| InvalidPeriod)?;
        let (unit, days) = match unit {
            "d" => (PeriodUnit::Days, amount),
            "m" => (PeriodUnit::Months, amount.saturating_mul(31)),
            "y" => (PeriodUnit::Years, amount.saturating_mul(366)),
            _ => return Err(InvalidPeriod),
        };
        if days > Self::MAX_DAYS {
            return Err(InvalidPeriod);
        }
        Ok(Self { amount, unit })
    }

    /// Whether the data goes at the moment of the trigger itself.
    pub const fn is_immediate(self) -> bool {
        self.amount == 0
    }

    /// The last day the data may be kept when the period started on `start`.
    /// `None` only if the date would leave chrono's range (year 262143), which `parse` prevents.
    pub fn expires_on(self, start: NaiveDate) -> Option<NaiveDate> {
        match self.unit {
            PeriodUnit::Days => start.checked_add_days(Days::new(self.amount.into())),
            PeriodUnit::Months => start.checked_add_months(Months::new(self.amount)),
            PeriodUnit::Years => {
                start.checked_add_months(Months::new(self.amount.checked_mul(12)?))
            }
        }
    }

    /// The earliest start still kept on `today`: an item whose period started on an earlier
    /// day has passed its last day ([`RetentionPeriod::expires_on`]) and is deleted today; one
    /// that started on this day or later is not. The retention purge deletes by it, and "Mijn
    /// gegevens" shows `expires_on`, so both follow the same rule.
    ///
    /// Calendar months are not invertible (31 March minus a month is 28 February, and 28
    /// February plus a month is 28 March), so this starts from the subtraction and steps to
    /// the exact boundary; `expires_on` is monotone, so the boundary is unique.
    pub fn first_kept(self, today: NaiveDate) -> Option<NaiveDate> {
        let months = match self.unit {
            PeriodUnit::Days => None,
            PeriodUnit::Months => Some(self.amount),
            PeriodUnit::Years => Some(self.amount.checked_mul(12)?),
        };
        let mut start = match months {
            None => today.checked_sub_days(Days::new(self.amount.into()))?,
            Some(months) => today.checked_sub_months(Months::new(months))?,
        };
        let kept = |start: NaiveDate| self.expires_on(start).is_some_and(|last| last >= today);
        while kept(start) {
            match start.pred_opt() {
                Some(before) if kept(before) => start = before,
                _ => return Some(start),
            }
        }
        while !kept(start) {
            start = start.succ_opt()?;
        }
        Some(start)
    }

    /// A human reading, e.g. "7 jaar" / "7 years".
    pub fn describe(self, lang: Lang) -> String {
        let n = self.amount;
        let unit = match (lang, self.unit, n == 1) {
            (Lang::Nl, PeriodUnit::Days, true) => "dag",
            (Lang::Nl, PeriodUnit::Days, false) => "dagen",
            (Lang::Nl, PeriodUnit::Months, true) => "maand",
            (Lang::Nl, PeriodUnit::Months, false) => "maanden",
            (Lang::Nl, PeriodUnit::Years, _) => "jaar",
            (Lang::En, PeriodUnit::Days, true) => "day",
            (Lang::En, PeriodUnit::Days, false) => "days",
            (Lang::En, PeriodUnit::Months, true) => "month",
            (Lang::En, PeriodUnit::Months, false) => "months",
            (Lang::En, PeriodUnit::Years, true) => "year",
            (Lang::En, PeriodUnit::Years, false) => "years",
        };
        format!("{n} {unit}")
    }
}

impl fmt::Display for RetentionPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            PeriodUnit::Days => 'd',
            PeriodUnit::Months => 'm',
            PeriodUnit::Years => 'y',
        };
        write!(f, "{}{unit}", self.amount)
    }
}

impl FromStr for RetentionPeriod {
    type Err = InvalidPeriod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RetentionPeriod {
    type Error = InvalidPeriod;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<RetentionPeriod> for String {
    fn from(value: RetentionPeriod) -> Self {
        value.to_string()
    }
}

/// The event from which a retention period runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// The moment the data was recorded (logs).
    Collected,
    /// The account holder closed the account (or asked for its deletion).
    AccountClosed,
    /// A contact message or quote request was answered.
    Handled,
    /// A rights request was closed.
    RequestClosed,
    /// The end of the fiscal year the record belongs to.
    FiscalYearEnded,
    /// The billing period of a usage record was invoiced.
    BillingPeriodEnded,
    /// The contract for the service ended.
    ContractEnded,
    /// Consent was given or changed (a newer choice replaces the record).
    ConsentGiven,
    /// A file (an export) was made.
    Created,
}

impl Trigger {
    /// Completes "…kept N days <after this>".
    pub fn after(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, Trigger::Collected) => "na vastlegging",
            (Lang::Nl, Trigger::AccountClosed) => "na opzegging van je account",
            (Lang::Nl, Trigger::Handled) => "na afhandeling",
            (Lang::Nl, Trigger::RequestClosed) => "na afsluiting van het verzoek",
            (Lang::Nl, Trigger::FiscalYearEnded) => "na afloop van het boekjaar",
            (Lang::Nl, Trigger::BillingPeriodEnded) => "na afloop van de factuurperiode",
            (Lang::Nl, Trigger::ContractEnded) => "na het einde van de overeenkomst",
            (Lang::Nl, Trigger::ConsentGiven) => "na je keuze",
            (Lang::Nl, Trigger::Created) => "na aanmaak",
            (Lang::En, Trigger::Collected) => "after it was recorded",
            (Lang::En, Trigger::AccountClosed) => "after you close your account",
            (Lang::En, Trigger::Handled) => "after it was handled",
            (Lang::En, Trigger::RequestClosed) => "after the request was closed",
            (Lang::En, Trigger::FiscalYearEnded) => "after the end of the fiscal year",
            (Lang::En, Trigger::BillingPeriodEnded) => "after the billing period",
            (Lang::En, Trigger::ContractEnded) => "after the contract ends",
            (Lang::En, Trigger::ConsentGiven) => "after your choice",
            (Lang::En, Trigger::Created) => "after it was made",
        }
    }

    /// Completes "deleted <at this moment>", for periods of zero.
    pub fn at(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, Trigger::AccountClosed) => {
                "Zolang je account actief is; verwijderd bij opzegging"
            }
            (Lang::Nl, Trigger::ContractEnded) => {
                "Tot het einde van de overeenkomst, of eerder op je verzoek"
            }
            (Lang::Nl, _) => "Verwijderd zodra het doel is bereikt",
            (Lang::En, Trigger::AccountClosed) => {
                "While your account is active; deleted when you close it"
            }
            (Lang::En, Trigger::ContractEnded) => {
                "Until the contract ends, or earlier at your request"
            }
            (Lang::En, _) => "Deleted as soon as the purpose is met",
        }
    }
}

/// The legal basis of Art. 6(1) GDPR a processing rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegalBasis {
    /// (a) consent
    Consent,
    /// (b) performance of a contract
    Contract,
    /// (c) a legal obligation
    LegalObligation,
    /// (f) legitimate interests
    LegitimateInterest,
}

impl LegalBasis {
    pub fn describe(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, LegalBasis::Consent) => "Toestemming (art. 6 lid 1 sub a AVG)",
            (Lang::Nl, LegalBasis::Contract) => {
                "Uitvoering van de overeenkomst (art. 6 lid 1 sub b AVG)"
            }
            (Lang::Nl, LegalBasis::LegalObligation) => "Wettelijke plicht (art. 6 lid 1 sub c AVG)",
            (Lang::Nl, LegalBasis::LegitimateInterest) => {
                "Gerechtvaardigd belang (art. 6 lid 1 sub f AVG)"
            }
            (Lang::En, LegalBasis::Consent) => "Consent (Art. 6(1)(a) GDPR)",
            (Lang::En, LegalBasis::Contract) => "Performance of the contract (Art. 6(1)(b) GDPR)",
            (Lang::En, LegalBasis::LegalObligation) => "Legal obligation (Art. 6(1)(c) GDPR)",
            (Lang::En, LegalBasis::LegitimateInterest) => {
                "Legitimate interests (Art. 6(1)(f) GDPR)"
            }
        }
    }
}

/// Where a category of data is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Holder {
    /// In the portal's own systems.
    Portal,
    /// At the external wholesale provider, in its back office.
    Provider,
}

/// What becomes of a category's data when its holder's account is erased (Art. 17 GDPR).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnErasure {
    /// Deleted for real.
    #[default]
    Erase,
    /// Kept because the law obliges it (Art. 17(3)(b) GDPR), detached from the account, until
    /// its period ends.
    Keep,
    /// Kept for accountability (Art. 17(3)(b) and 5(2) GDPR) without anything that identifies
    /// the person, until its period ends.
    Pseudonymise,
}

/// One row of the retention matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    /// A stable key the retention jobs and the data catalogue refer to, e.g. `technical-logs`.
    pub id: String,
    pub held_by: Holder,
    /// The categories of personal data, e.g. "IP-adressen, tijdstippen".
    pub categories: Localized,
    pub purpose: Localized,
    pub basis: LegalBasis,
    /// The ground for the period itself, e.g. the statute that sets it.
    pub ground: Localized,
    pub period: RetentionPeriod,
    pub trigger: Trigger,
    /// What the erasure of an account does with it; erased unless the matrix says otherwise.
    #[serde(default)]
    pub on_erasure: OnErasure,
}

impl RetentionRule {
    /// "30 dagen na vastlegging", or the trigger's own words for a period of zero.
    pub fn describe_period(&self, lang: Lang) -> String {
        if self.period.is_immediate() {
            self.trigger.at(lang).to_owned()
        } else {
            format!(
                "{} {}",
                self.period.describe(lang),
                self.trigger.after(lang)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn periods_parse_from_days_months_and_years_and_print_back() {
        for text in ["0d", "30d", "6m", "7y", "100y"] {
            let period = RetentionPeriod::parse(text).expect(text);
            assert_eq!(period.to_string(), text);
        }
    }

    #[test]
    fn malformed_or_absurd_periods_are_refused() {
        for bad in [
            "",
            "d",
            "30",
            "30 days",
            "-1d",
            "1.5y",
            "7w",
            "101y",
            "99999999999d",
        ] {
            assert_eq!(RetentionPeriod::parse(bad), Err(InvalidPeriod), "{bad:?}");
        }
    }

    #[test]
    fn a_period_ending_in_a_character_of_more_than_one_byte_is_refused_rather_than_a_panic() {
        // Found by the proptest below and the fuzz target `domain_parsers`; a retention rule's
        // `period` in the configuration file reached it.
        for bad in ["5é", "é", "ᦰ", "12\u{301}", "7\u{1F600}"] {
            assert_eq!(RetentionPeriod::parse(bad), Err(InvalidPeriod), "{bad:?}");
        }
    }

    #[test]
    fn a_month_after_the_31st_of_january_is_the_last_day_of_february() {
        let month = RetentionPeriod::months(1);
        assert_eq!(month.expires_on(date(2027, 1, 31)), Some(date(2027, 2, 28)));
        assert_eq!(month.expires_on(date(2028, 1, 31)), Some(date(2028, 2, 29)));
    }

    #[test]
    fn seven_years_after_a_leap_day_is_the_28th_of_february() {
        let years = RetentionPeriod::years(7);
        assert_eq!(years.expires_on(date(2024, 2, 29)), Some(date(2031, 2, 28)));
    }

    #[test]
    fn periods_read_naturally_in_both_languages() {
        let rule_period = RetentionPeriod::years(7);
        assert_eq!(rule_period.describe(Lang::Nl), "7 jaar");
        assert_eq!(rule_period.describe(Lang::En), "7 years");
        assert_eq!(RetentionPeriod::months(1).describe(Lang::Nl), "1 maand");
        assert_eq!(RetentionPeriod::days(30).describe(Lang::En), "30 days");
    }

    #[test]
    fn an_item_from_the_31st_of_march_is_kept_through_the_30th_of_april_and_gone_on_the_1st_of_may()
    {
        let month = RetentionPeriod::months(1);
        assert_eq!(month.first_kept(date(2027, 4, 30)), Some(date(2027, 3, 30)));
        assert_eq!(month.first_kept(date(2027, 5, 1)), Some(date(2027, 4, 1)));
        assert_eq!(
            RetentionPeriod::days(14).first_kept(date(2026, 12, 8)),
            Some(date(2026, 11, 24))
        );
    }

    proptest! {
        #[test]
        fn an_item_is_purged_exactly_when_its_last_day_has_passed(
            start in 0i64..40_000, after in 0i64..4_000, amount in 0u32..=40, unit in 0u8..3,
        ) {
            let period = match unit {
                0 => RetentionPeriod::days(amount),
                1 => RetentionPeriod::months(amount),
                _ => RetentionPeriod::years(amount),
            };
            let start = date(1990, 1, 1) + chrono::Duration::days(start);
            let today = start + chrono::Duration::days(after);
            let last = period.expires_on(start).expect("in range");
            let first_kept = period.first_kept(today).expect("in range");
            prop_assert_eq!(start < first_kept, last < today);
        }

        #[test]
        fn expiry_is_never_before_the_start_and_calendar_periods_land_within_the_month(
            days in 0i64..60_000, amount in 0u32..=36, unit in 0u8..3,
        ) {
            let start = date(1990, 1, 1) + chrono::Duration::days(days);
            let period = match unit {
                0 => RetentionPeriod::days(amount),
                1 => RetentionPeriod::months(amount),
                _ => RetentionPeriod::years(amount),
            };
            let end = period.expires_on(start).expect("in range");
            prop_assert!(end >= start);
            if unit != 0 {
                use chrono::Datelike;
                let months = if unit == 1 { amount } else { amount * 12 };
                let total = start.year() * 12 + start.month0() as i32 + months as i32;
                prop_assert_eq!(end.year() * 12 + end.month0() as i32, total);
                prop_assert!(end.day() <= start.day());
            }
        }
    }

    proptest! {
        #[test]
        fn no_text_makes_the_period_parser_panic_and_an_accepted_period_reads_back_from_its_display(
            input in "\\PC{0,6}|[0-9]{1,12}[dmyé ]?",
        ) {
            if let Ok(period) = RetentionPeriod::parse(&input) {
                prop_assert_eq!(RetentionPeriod::parse(&period.to_string()), Ok(period));
            }
        }

        #[test]
        fn a_period_is_accepted_up_to_a_hundred_years_and_its_last_day_is_always_a_date(
            amount in 0u32..50_000, unit in prop::sample::select(vec!['d', 'm', 'y']),
        ) {
            let days = match unit {
                'd' => u64::from(amount),
                'm' => u64::from(amount) * 31,
                _ => u64::from(amount) * 366,
            };
            let parsed = RetentionPeriod::parse(&format!("{amount}{unit}"));
            prop_assert_eq!(parsed.is_ok(), days <= 36_600);
            if let Ok(period) = parsed {
                for start in [date(1970, 1, 1), date(2026, 11, 24), date(2199, 12, 31)] {
                    prop_assert!(period.expires_on(start).is_some());
                    prop_assert!(period.first_kept(start).is_some());
                }
            }
        }
    }
}
