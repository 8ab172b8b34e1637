//! "Mijn gegevens": every item held about an account holder, per category of the catalogue,
//! with the date each will be deleted under the retention matrix. The portal's own items are
//! read from the store; the provider's are fetched live through the adapter, and when the
//! provider does not answer in time the category says so (with when to try again) instead of
//! failing the page.

mod correct;
mod correct_at_provider;
mod history;
pub(crate) mod recipients;
mod requests;
pub mod words;

pub use correct::CorrectionError;
pub use correct_at_provider::{CORRECTABLE, ProviderCorrectionError};
pub use history::{CorrectionReport, RequestReport, Told};
pub use requests::{DIRECT_MARKETING, RequestError, RequestProblem};

use crate::accounts::throttle;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::{AccountId, ClientFacts, Clock, EmailAddress, Trigger};
use provider::{
    Provider,
    model::{DataRecord, RecordKind, SubscriberId},
};
use std::{sync::Arc, time::Duration};
use store::{FailureKey, Store, StoreError, records::Page};

/// How long the page waits for the provider before it shows its part as unavailable.
pub const PROVIDER_DEADLINE: Duration = Duration::from_secs(5);

/// Where a category's items came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The portal's own store.
    Here,
    /// Fetched from the provider at this moment.
    Fetched { at: DateTime<Utc> },
    /// The provider did not answer; try again later.
    Unavailable { at: DateTime<Utc> },
    /// The provider holds nothing of this account (it is not a subscriber there).
    NotHeld,
}

/// One item: a record, a session, an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The item's own id where it has one (a provider record's id), else empty.
    pub id: String,
    /// Field name (a stable key such as `email` or `number`) and value, in a fixed order.
    pub fields: Vec<(String, String)>,
    /// When the item was recorded, where known.
    pub recorded: Option<DateTime<Utc>>,
    /// The last day it may be kept under the retention matrix, when that day is known already.
    pub kept_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryReport {
    /// The catalogue category's id.
    pub id: String,
    pub source: Source,
    pub items: Vec<Item>,
}

#[derive(Clone)]
pub struct MyData {
    store: Arc<dyn Store>,
    provider: Arc<dyn Provider>,
    clock: Arc<dyn Clock>,
    facts: Arc<ClientFacts>,
}

impl MyData {
    pub fn new(
        store: Arc<dyn Store>,
        provider: Arc<dyn Provider>,
        clock: Arc<dyn Clock>,
        facts: Arc<ClientFacts>,
    ) -> Self {
        Self {
            store,
            provider,
            clock,
            facts,
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn facts(&self) -> &Arc<ClientFacts> {
        &self.facts
    }

    /// Every category of the catalogue, in its order, with the account's items.
    pub async fn report(&self, account: &AccountId) -> Result<Vec<CategoryReport>, StoreError> {
        let Some(row) = self.store.account_by_id(account.as_str()).await? else {
            return Ok(Vec::new());
        };
        let subscriber = row
            .provider_subscriber
            .as_deref()
            .and_then(|id| SubscriberId::parse(id).ok());
        let (source, records) = match &subscriber {
            Some(subscriber) => self.fetch(subscriber).await,
            None => (Source::NotHeld, Vec::new()),
        };

        let mut reports = Vec::new();
        for described in self.facts.catalogue() {
            let id = described.category.id.as_str();
            let (source, mut items) = if described.held_by() == domain::Holder::Provider {
                let items = records
                    .iter()
                    .filter(|r| category_of(r.kind) == id)
                    .map(provider_item)
                    .collect();
                (source.clone(), items)
            } else {
                let chunk = self.local_items(&row, id, Page::ALL).await?;
                (Source::Here, chunk.items)
            };
            for item in &mut items {
                set_kept_until(&described, item);
            }
            reports.push(CategoryReport {
                id: id.to_owned(),
                source,
                items,
            });
        }
        Ok(reports)
    }

    /// Every page of the subscriber's data, or unavailable when the provider does not answer
    /// within [`PROVIDER_DEADLINE`].
    async fn fetch(&self, subscriber: &SubscriberId) -> (Source, Vec<DataRecord>) {
        let all = async {
            let mut records = Vec::new();
            let mut page = None;
            loop {
                let data = self
                    .provider
                    .subscriber_data(subscriber, page.as_deref())
                    .await?;
                records.extend(data.records);
                match data.next_page {
                    Some(next) => page = Some(next),
                    None => return Ok::<_, provider::ProviderError>(records),
                }
            }
        };
        let at = self.clock.now();
        match tokio::time::timeout(PROVIDER_DEADLINE, all).await {
            Ok(Ok(records)) => (Source::Fetched { at }, records),
            Ok(Err(error)) => {
                tracing::warn!(%error, "the provider's data could not be fetched");
                (Source::Unavailable { at }, Vec::new())
            }
            Err(_) => {
                tracing::warn!("the provider's data did not arrive in time");
                (Source::Unavailable { at }, Vec::new())
            }
        }
    }

    /// One page of a category held here: the items, and the page after it when there may be
    /// more. The long lists (messages, quote requests, invoices, requests) are read page by page;
    /// the rest are short by nature and come whole.
    pub(crate) async fn local_items(
        &self,
        row: &store::account::AccountRow,
        category: &str,
        page: Page,
    ) -> Result<Chunk, StoreError> {
        let account = row.id.as_str();
        let store = &self.store;
        Ok(match category {
            "account" => {
                let (profile, _) = self
                    .profile(&AccountId::from_stored(row.id.clone()))
                    .await?;
                Chunk::whole(vec![account_item(row, &profile)])
            }
            "contact-messages" => Chunk::paged(
                page,
                store.contact_messages(account, page).await?,
                |m| m.id,
                contact_item,
            ),
            "quote-requests" => Chunk::paged(
                page,
                store.quote_requests(account, page).await?,
                |q| q.id,
                quote_item,
            ),
            "invoices" => Chunk::paged(
                page,
                store.invoices(account, page).await?,
                |i| i.id,
                invoice_item,
            ),
            "rights-requests" => Chunk::paged(
                page,
                store.rights_requests(account, page).await?,
                |r| r.id,
                request_item,
            ),
            "consent-records" => Chunk::paged(
                page,
                store.consent_records(account, page).await?,
                |c| c.id,
                consent_item,
            ),
            "sign-in-logs" => Chunk::whole(
                self.sessions(&AccountId::from_stored(row.id.clone()))
                    .await?,
            ),
            "technical-logs" => Chunk::whole(self.failed_sign_ins(&row.email).await?),
            // Categories whose records arrive with later features: nothing held yet.
            _ => Chunk::whole(Vec::new()),
        })
    }

    async fn sessions(&self, account: &AccountId) -> Result<Vec<Item>, StoreError> {
        Ok(self
            .store
            .account_sessions(account.as_str())
            .await?
            .into_iter()
            .map(|s| Item {
                id: String::new(),
                fields: vec![
                    ("device".into(), s.device.unwrap_or_default()),
                    ("signed_in".into(), stamp(s.created_at)),
                    ("last_used".into(), stamp(s.last_seen_at)),
                ],
                recorded: Some(s.created_at),
                kept_until: None,
            })
            .collect())
    }

    async fn failed_sign_ins(&self, email: &str) -> Result<Vec<Item>, StoreError> {
        let Ok(email) = EmailAddress::parse(email) else {
            return Ok(Vec::new());
        };
        let key = throttle::account_key(&email);
        // All of them: the retention purge deletes them when the matrix says.
        let since = DateTime::UNIX_EPOCH;
        Ok(self
            .store
            .recent_sign_in_failures(FailureKey::Account(&key), since, 100)
            .await?
            .into_iter()
            .map(|at| Item {
                id: String::new(),
                fields: vec![("failed_sign_in".into(), stamp(at))],
                recorded: Some(at),
                kept_until: None,
            })
            .collect())
    }
}

/// A page of items and where the next one starts, if there may be one.
pub(crate) struct Chunk {
    pub items: Vec<Item>,
    pub next: Option<Page>,
}

impl Chunk {
    fn whole(items: Vec<Item>) -> Self {
        Chunk { items, next: None }
    }

    fn paged<R>(
        page: Page,
        rows: Vec<R>,
        id: impl Fn(&R) -> i64,
        item: impl Fn(R) -> Item,
    ) -> Self {
        let full = rows.len() >= usize::try_from(page.limit).unwrap_or(usize::MAX);
        let next = rows
            .last()
            .filter(|_| full)
            .map(|last| page.after(id(last)));
        Chunk {
            items: rows.into_iter().map(item).collect(),
            next,
        }
    }
}

/// Fills in the last day an item may be kept, from its category's retention rule.
pub(crate) fn set_kept_until(described: &domain::Described<'_>, item: &mut Item) {
    item.kept_until = described.kept_until(start_of(described.rule.trigger, item));
}

fn contact_item(m: store::records::ContactMessageRow) -> Item {
    Item {
        id: format!("contact-{}", m.id),
        fields: vec![
            ("received".into(), stamp(m.received_at)),
            ("subject".into(), m.subject),
            ("message".into(), m.message),
        ],
        recorded: Some(m.received_at),
        kept_until: None,
    }
}

fn quote_item(q: store::records::QuoteRequestRow) -> Item {
    let mut fields = vec![
        ("reference".into(), recipients::quote_reference(q.id)),
        ("requested".into(), stamp(q.requested_at)),
        ("service".into(), q.service),
        ("details".into(), q.details),
    ];
    if let (Some(supplier), Some(at)) = (q.supplier_name, q.shared_at) {
        fields.push(("shared_with".into(), supplier));
        fields.push(("shared".into(), stamp(at)));
    }
    Item {
        id: format!("quote-{}", q.id),
        fields,
        recorded: Some(q.requested_at),
        kept_until: None,
    }
}

fn invoice_item(i: store::records::InvoiceRow) -> Item {
    Item {
        id: format!("invoice-{}", i.id),
        fields: vec![
            ("number".into(), i.number),
            ("issued".into(), i.issued_at.format("%Y-%m-%d").to_string()),
            ("description".into(), i.description),
            ("amount".into(), euros(i.amount_cents)),
        ],
        recorded: Some(i.issued_at),
        kept_until: None,
    }
}

/// A rights request as an item (its recipients show with the history).
fn consent_item(c: store::consent::ConsentRow) -> Item {
    let yes_no = |v: bool| if v { "yes" } else { "no" }.to_owned();
    Item {
        id: format!("consent-{}", c.id),
        fields: vec![
            ("chosen".into(), stamp(c.recorded_at)),
            ("functional".into(), yes_no(c.functional)),
            ("analytical".into(), yes_no(c.analytical)),
            ("commercial".into(), yes_no(c.commercial)),
            ("method".into(), c.method),
            ("gpc_signal".into(), yes_no(c.gpc)),
            ("statement_version".into(), c.statement_version),
        ],
        recorded: Some(c.recorded_at),
        kept_until: None,
    }
}

fn request_item(r: store::records::RightsRequestRow) -> Item {
    let mut fields = vec![
        ("kind".into(), r.kind),
        ("status".into(), r.status),
        ("received".into(), stamp(r.received_at)),
    ];
    if let Some(category) = r.category {
        fields.push(("concerns".into(), category));
    }
    fields.push(("statement".into(), r.details));
    Item {
        id: format!("request-{}", r.id),
        fields,
        recorded: r.closed_at,
        kept_until: None,
    }
}

/// An amount in euros as the Dutch write it on an invoice: "€ 1.234,50".
fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{sign}€ {grouped},{:02}", cents % 100)
}

/// A moment as items keep it (machine-readable; [`words::value`] shows it to people).
fn stamp(at: DateTime<Utc>) -> String {
    words::machine_moment(at)
}

fn account_item(row: &store::account::AccountRow, profile: &domain::Profile) -> Item {
    let mut fields: Vec<(String, String)> = domain::Profile::FIELDS
        .into_iter()
        .filter_map(|f| Some((f.to_owned(), profile.get(f)?.to_owned())))
        .collect();
    fields.extend([
        ("email".into(), row.email.clone()),
        ("language".into(), row.language.clone()),
        ("created".into(), stamp(row.created_at)),
    ]);
    if let Some(at) = row.marketing_objection_at {
        fields.push(("marketing_objection".into(), stamp(at)));
    }
    Item {
        id: String::new(),
        fields,
        recorded: Some(row.created_at),
        kept_until: None,
    }
}

/// The catalogue category a provider record belongs to.
pub(crate) fn category_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Number | RecordKind::Service | RecordKind::Sim => "provider-numbers-services",
        RecordKind::Directory => "provider-directory",
        RecordKind::Porting => "provider-porting",
        RecordKind::Usage => "provider-usage",
    }
}

pub(crate) fn provider_item(record: &DataRecord) -> Item {
    let mut fields: Vec<(String, String)> = record
        .fields
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // The number first: it is what the holder recognises a record by.
    fields.sort_by_key(|(k, _)| k != "number");
    Item {
        id: record.id.clone(),
        fields,
        recorded: None,
        kept_until: None,
    }
}

/// The day an item's retention period starts, when it has started: the day it was recorded,
/// the end of its fiscal year, the end of its billing period, the day a porting was done.
fn start_of(trigger: Trigger, item: &Item) -> Option<NaiveDate> {
    let field = |name: &str| {
        item.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let recorded = item.recorded.map(|at| at.date_naive());
    match trigger {
        Trigger::Collected | Trigger::Created | Trigger::ConsentGiven => recorded,
        Trigger::FiscalYearEnded => {
            recorded.and_then(|d| NaiveDate::from_ymd_opt(d.year(), 12, 31))
        }
        Trigger::BillingPeriodEnded => {
            let first =
                NaiveDate::parse_from_str(&format!("{}-01", field("month")?), "%Y-%m-%d").ok()?;
            first.checked_add_months(chrono::Months::new(1))?.pred_opt()
        }
        Trigger::Handled => field("date")
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .or(recorded),
        // A request's item is recorded when it closes (and not at all while it is open).
        Trigger::RequestClosed => recorded,
        Trigger::AccountClosed | Trigger::ContractEnded => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(fields: &[(&str, &str)]) -> Item {
        Item {
            id: String::new(),
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            recorded: None,
            kept_until: None,
        }
    }

    #[test]
    fn amounts_are_written_the_dutch_way_with_thousands_points_and_a_decimal_comma() {
        assert_eq!(euros(0), "€ 0,00");
        assert_eq!(euros(4_950), "€ 49,50");
        assert_eq!(euros(123_456_789), "€ 1.234.567,89");
        assert_eq!(euros(-1_005), "-€ 10,05");
    }

    #[test]
    fn a_usage_records_period_starts_at_the_end_of_its_billing_month_and_a_porting_at_its_date() {
        assert_eq!(
            start_of(Trigger::BillingPeriodEnded, &item(&[("month", "2026-02")])),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(
            start_of(Trigger::Handled, &item(&[("date", "2025-06-01")])),
            NaiveDate::from_ymd_opt(2025, 6, 1)
        );
        assert_eq!(
            start_of(Trigger::ContractEnded, &item(&[])),
            None,
            "not ended yet"
        );
        assert_eq!(
            start_of(Trigger::BillingPeriodEnded, &item(&[("month", "soon")])),
            None
        );
    }
}
