//! What the holder changed or asked for, and who was told: each correction with the recipients
//! told of it (Art. 19) and when, and each request with the recipients that will be told once
//! staff have carried it out.

use super::MyData;
use chrono::{DateTime, Utc};
use domain::{AccountId, RequestKind, RequestStatus};
use std::collections::BTreeMap;
use store::{
    StoreError,
    records::{NoticeRow, Page},
};

/// A recipient told of a correction, or still to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    pub recipient: String,
    /// `mail`, `provider` or `staff`.
    pub channel: String,
    pub told_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionReport {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub category: String,
    pub field: String,
    pub recipients: Vec<Told>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestReport {
    pub id: i64,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub category: Option<String>,
    pub details: String,
    pub received_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub recipients: Vec<Told>,
}

/// How many corrections the page lists, newest first.
const CORRECTIONS_SHOWN: u32 = 100;

impl MyData {
    /// The newest corrections and every request of the account, newest first, each with its
    /// recipients (the notices are read once for both).
    pub async fn history(
        &self,
        account: &AccountId,
    ) -> Result<(Vec<CorrectionReport>, Vec<RequestReport>), StoreError> {
        let (by_correction, by_request) = self.notices_by_cause(account).await?;
        let corrections = self
            .store
            .corrections(account.as_str(), CORRECTIONS_SHOWN)
            .await?
            .into_iter()
            .map(|c| CorrectionReport {
                recipients: by_correction.get(&c.id).cloned().unwrap_or_default(),
                id: c.id,
                at: c.corrected_at,
                category: c.category,
                field: c.field,
            })
            .collect();
        let requests = self
            .store
            .rights_requests(account.as_str(), Page::ALL)
            .await?
            .into_iter()
            .filter_map(|r| {
                Some(RequestReport {
                    kind: RequestKind::parse(&r.kind)?,
                    status: RequestStatus::parse(&r.status)?,
                    recipients: by_request.get(&r.id).cloned().unwrap_or_default(),
                    id: r.id,
                    category: r.category,
                    details: r.details,
                    received_at: r.received_at,
                    closed_at: r.closed_at,
                })
            })
            .collect();
        Ok((corrections, requests))
    }

    /// Since when the holder objects to direct marketing, if they do.
    pub async fn marketing_objection(
        &self,
        account: &AccountId,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .store
            .account_by_id(account.as_str())
            .await?
            .and_then(|row| row.marketing_objection_at))
    }

    async fn notices_by_cause(
        &self,
        account: &AccountId,
    ) -> Result<(BTreeMap<i64, Vec<Told>>, BTreeMap<i64, Vec<Told>>), StoreError> {
        let mut corrections: BTreeMap<i64, Vec<Told>> = BTreeMap::new();
        let mut requests: BTreeMap<i64, Vec<Told>> = BTreeMap::new();
        for NoticeRow {
            correction_id,
            request_id,
            recipient,
            channel,
            told_at,
            ..
        } in self.store.notices(account.as_str()).await?
        {
            let told = Told {
                recipient,
                channel,
                told_at,
            };
            match (correction_id, request_id) {
                (Some(id), _) => corrections.entry(id).or_default().push(told),
                (None, Some(id)) => requests.entry(id).or_default().push(told),
                (None, None) => {}
            }
        }
        Ok((corrections, requests))
    }
}
