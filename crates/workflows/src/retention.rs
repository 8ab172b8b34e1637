//! The retention matrix enforced: a scheduled purge deletes every category's items on the day
//! after their last day ([`domain::RetentionPeriod::first_kept`], the same rule "Mijn gegevens"
//! shows the dates from), and asks the provider to do the same with its usage records.
//!
//! A purge runs for a `slot` (the scheduled time) as a job; the slot's run is recorded in the
//! transaction that deletes, under a unique key, so however many instances queue or run it,
//! one transaction commits and the others change nothing. Running it again deletes nothing
//! more: everything it would delete is gone. Each run keeps counts per category, never what
//! was deleted.

use crate::{
    export::Exports,
    jobs::{self, Job},
};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use domain::{ClientFacts, Clock, Holder, RetentionRule, Trigger};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, sync::Arc};
use store::{
    Actor, NewAuditEvent, Store, StoreError,
    retention::{Purge, RetentionRunRow},
};

/// The rows each rule of the matrix covers, by the rule's id, as the catalogue files them
/// (failed sign-ins are technical logs there). Rules not named here are enforced where their
/// trigger happens: an account is erased by the erasure workflow at the end of its cool-off, a
/// directory listing is removed at the holder's request, and sessions (the sign-in history)
/// end within `session.absolute_lifetime` and are deleted then ([`EXPIRED`]).
const COVERED: &[(&str, &[Purge])] = &[
    ("unconfirmed-registrations", &[Purge::UnconfirmedAccounts]),
    ("contact-messages", &[Purge::ContactMessages]),
    ("quote-requests", &[Purge::QuoteRequests]),
    ("technical-logs", &[Purge::SignInFailures, Purge::DoneJobs]),
    ("consent-records", &[Purge::ConsentRecords]),
    (
        "rights-requests",
        &[Purge::ClosedRequests, Purge::StaffAccess],
    ),
    ("invoices", &[Purge::Invoices]),
];

/// The rule staff accesses are kept under: that of the requests they were made for.
pub const STAFF_ACCESS_RULE: &str = "rights-requests";

/// The day the purge deletes an item whose period started on `start`: the day after its last.
pub fn deleted_on(rule: &RetentionRule, start: NaiveDate) -> Option<NaiveDate> {
    rule.period.expires_on(start)?.succ_opt()
}

/// The count for what has no period of its own: sessions and mailed links past their expiry.
pub const EXPIRED: &str = "expired-sessions-and-links";
/// The count for export files whose link expired and whose expiry job had not run yet.
pub const EXPORTS: &str = "exports";

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purged {
    /// Items deleted per rule of the matrix (and [`EXPIRED`], [`EXPORTS`]).
    pub counts: BTreeMap<String, u64>,
    /// The job asking the provider to delete its usage records, when the matrix has a period
    /// for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_job: Option<i64>,
}

/// A recorded run, for the admins' history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub slot: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub purged: Purged,
}

#[derive(Clone)]
pub struct Retention {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    facts: Arc<ClientFacts>,
    exports: Option<Exports>,
}

impl Retention {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, facts: Arc<ClientFacts>) -> Self {
        Self {
            store,
            clock,
            facts,
            exports: None,
        }
    }

    /// Lets the purge delete the files of exports whose expiry job is late.
    pub fn with_exports(mut self, exports: Exports) -> Self {
        self.exports = Some(exports);
        self
    }

    /// Purges everything past its last day for `slot`; `None` when that slot's purge has run
    /// (or is being committed by another instance).
    pub async fn purge(&self, slot: &str) -> Result<Option<Purged>, StoreError> {
        let now = self.clock.now();
        let today = now.date_naive();
        let mut purged = Purged::default();

        // Files first (they are not in the transaction); an export marked expired stays so.
        if let Some(exports) = &self.exports {
            let late = self.store.exports_past_expiry(now).await?;
            for id in &late {
                exports.expire(id).await;
            }
            purged.counts.insert(EXPORTS.into(), late.len() as u64);
        }

        let mut tx = self.store.begin().await?;
        let run = match tx.start_retention_run(slot, now).await {
            Ok(run) => run,
            Err(StoreError::Duplicate { .. }) => return Ok(None),
            Err(error) => return Err(error),
        };
        for rule in &self.facts.retention {
            if let Some(before) = usage_months_before(rule, today) {
                let job = Job::ProviderPurgeUsage {
                    before_month: before,
                };
                purged.provider_job = Some(jobs::enqueue(&mut *tx, &job, None, now).await?);
                continue;
            }
            let Some(kinds) = covered(&rule.id) else {
                continue;
            };
            let Some(cutoff) = cutoff(rule, today) else {
                continue;
            };
            let mut count = 0;
            for &kind in kinds {
                count += tx.purge(kind, cutoff).await?;
            }
            purged.counts.insert(rule.id.clone(), count);
        }
        let mut expired = 0;
        for kind in [Purge::ExpiredSessions, Purge::ExpiredLinks] {
            expired += tx.purge(kind, now).await?;
        }
        purged.counts.insert(EXPIRED.into(), expired);

        let counts = serde_json::to_string(&purged)
            .map_err(|e| StoreError::Corrupt(format!("retention counts: {e}")))?;
        tx.finish_retention_run(run, &counts, self.clock.now())
            .await?;
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::System,
            action: "retention.purged".into(),
            subject: None,
        })
        .await?;
        tx.commit().await?;
        tracing::info!(
            slot,
            deleted = purged.counts.values().sum::<u64>(),
            "retention purge done"
        );
        Ok(Some(purged))
    }

    /// The newest runs, newest first.
    pub async fn runs(&self, limit: u32) -> Result<Vec<Run>, StoreError> {
        self.store
            .retention_runs(limit)
            .await?
            .into_iter()
            .map(run)
            .collect()
    }
}

fn run(row: RetentionRunRow) -> Result<Run, StoreError> {
    let purged = serde_json::from_str(&row.counts)
        .map_err(|e| StoreError::Corrupt(format!("retention run {}: {e}", row.id)))?;
    Ok(Run {
        slot: row.slot,
        started_at: row.started_at,
        finished_at: row.finished_at,
        purged,
    })
}

fn covered(rule: &str) -> Option<&'static [Purge]> {
    COVERED
        .iter()
        .find(|(id, _)| *id == rule)
        .map(|(_, kinds)| *kinds)
}

/// Rows whose period started before this instant are past their last day today. The start is
/// the day an item was recorded (UTC, as "Mijn gegevens" counts it), or for invoices the end of
/// the fiscal year they were issued in. `None` for rules that are enforced at their trigger.
fn cutoff(rule: &RetentionRule, today: NaiveDate) -> Option<DateTime<Utc>> {
    if rule.period.is_immediate() || rule.held_by != Holder::Portal {
        return None;
    }
    let first_kept = rule.period.first_kept(today)?;
    let day = match rule.trigger {
        // Issued in year Y, the period starts on 31 December of Y: an invoice is past it when
        // 31 December of its year is before the first kept start, i.e. Y < that start's year.
        Trigger::FiscalYearEnded => NaiveDate::from_ymd_opt(first_kept.year(), 1, 1)?,
        _ => first_kept,
    };
    Some(day.and_time(NaiveTime::MIN).and_utc())
}

/// For the provider's usage records (kept a period after their billing month ends): the first
/// billing month still kept today, `YYYY-MM`.
fn usage_months_before(rule: &RetentionRule, today: NaiveDate) -> Option<String> {
    let applies = rule.held_by == Holder::Provider
        && rule.trigger == Trigger::BillingPeriodEnded
        && !rule.period.is_immediate();
    if !applies {
        return None;
    }
    // Month M ends on its last day; that is before the first kept start exactly when M is
    // before the first kept start's month.
    let first_kept = rule.period.first_kept(today)?;
    Some(first_kept.format("%Y-%m").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{LegalBasis, Localized, RetentionPeriod};

    fn rule(id: &str, period: RetentionPeriod, trigger: Trigger, held_by: Holder) -> RetentionRule {
        RetentionRule {
            id: id.into(),
            held_by,
            categories: Localized::new("x", "x"),
            purpose: Localized::new("x", "x"),
            basis: LegalBasis::LegalObligation,
            ground: Localized::new("x", "x"),
            period,
            trigger,
            on_erasure: domain::OnErasure::Erase,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn an_invoice_goes_on_the_first_day_after_seven_years_from_the_end_of_its_fiscal_year() {
        let invoices = rule(
            "invoices",
            RetentionPeriod::years(7),
            Trigger::FiscalYearEnded,
            Holder::Portal,
        );
        // Issued in 2019: its period runs from 31 December 2019 to 31 December 2026.
        let kept = cutoff(&invoices, date(2026, 12, 31)).expect("a cut-off");
        let gone = cutoff(&invoices, date(2027, 1, 1)).expect("a cut-off");
        let issued = date(2019, 3, 5).and_time(NaiveTime::MIN).and_utc();
        assert!(issued >= kept, "still kept on 31 December 2026");
        assert!(issued < gone, "gone on 1 January 2027");
    }

    #[test]
    fn usage_of_a_billing_month_goes_six_months_after_the_month_ends() {
        let usage = rule(
            "provider-usage",
            RetentionPeriod::months(6),
            Trigger::BillingPeriodEnded,
            Holder::Provider,
        );
        // May 2026 ends on 31 May; six months later is 30 November (kept), 1 December gone.
        assert_eq!(
            usage_months_before(&usage, date(2026, 11, 30)).as_deref(),
            Some("2026-05")
        );
        assert_eq!(
            usage_months_before(&usage, date(2026, 12, 1)).as_deref(),
            Some("2026-06")
        );
    }

    #[test]
    fn rules_enforced_at_their_trigger_have_no_cutoff() {
        let account = rule(
            "account",
            RetentionPeriod::days(0),
            Trigger::AccountClosed,
            Holder::Portal,
        );
        assert_eq!(cutoff(&account, date(2026, 11, 24)), None);
    }
}
