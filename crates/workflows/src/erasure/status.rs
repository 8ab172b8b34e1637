//! Where an erasure stands, for its status page: each system's state, honestly — never
//! complete while anything is outstanding.

use super::{Erasures, System};
use crate::accounts::links;
use chrono::{DateTime, Utc};
use domain::Lang;
use store::{StoreError, erasure::ErasureNoticeRow};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Deactivated; erased after this moment unless the holder signs in.
    Scheduled {
        erase_after: DateTime<Utc>,
    },
    Running,
    /// Every system erased; the confirmation may still be on its way.
    Complete {
        at: DateTime<Utc>,
    },
    /// Called off by signing in.
    Cancelled {
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepState {
    Waiting,
    /// Asked; the system is still carrying it out.
    Pending {
        since: DateTime<Utc>,
    },
    Done {
        at: DateTime<Utc>,
    },
    /// Nothing to do in this system (no data there, nobody to tell).
    NotNeeded,
    /// The last attempt failed; the next follows by itself.
    Retrying {
        since: DateTime<Utc>,
        next_attempt: DateTime<Utc>,
    },
    /// Every attempt failed: staff have it now.
    Failed {
        since: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepStatus {
    pub system: System,
    pub state: StepState,
}

/// A recipient of the data, told (Art. 19 GDPR) once its mail was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientState {
    pub name: String,
    pub told_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureStatus {
    pub phase: Phase,
    pub requested_at: DateTime<Utc>,
    pub steps: Vec<StepStatus>,
    pub recipients: Vec<RecipientState>,
    /// What the law keeps after any erasure, one line per category.
    pub kept: Vec<String>,
}

impl ErasureStatus {
    /// True only when every system is done (or had nothing to do).
    pub fn is_complete(&self) -> bool {
        matches!(self.phase, Phase::Complete { .. })
            && self
                .steps
                .iter()
                .all(|s| matches!(s.state, StepState::Done { .. } | StepState::NotNeeded))
    }
}

impl Erasures {
    /// The erasure the status page's token stands for; `None` for an unknown token.
    pub async fn status(
        &self,
        token: &str,
        lang: Lang,
    ) -> Result<Option<ErasureStatus>, StoreError> {
        let Some(erasure) = self
            .store
            .erasure_by_token(&links::hash_token(token))
            .await?
        else {
            return Ok(None);
        };
        let job = match erasure.job_id {
            Some(id) => self.store.job(id).await?,
            None => None,
        };
        let parked = job.as_ref().is_some_and(|j| j.status == "dead");
        let next_attempt = job
            .as_ref()
            .map(|j| j.next_attempt_at)
            .unwrap_or(erasure.requested_at);
        let notices = self.store.erasure_notices(&erasure.id).await?;
        let steps = self
            .store
            .erasure_steps(&erasure.id)
            .await?
            .into_iter()
            .filter_map(|row| {
                let system = System::parse(&row.system)?;
                let told = match system {
                    System::Recipients => told(&notices, "recipient"),
                    System::Confirmation => told(&notices, "holder"),
                    _ => None,
                };
                let state = match (row.state.as_str(), told) {
                    ("done", _) => StepState::Done { at: row.since },
                    ("pending", Some(at)) => StepState::Done { at },
                    ("pending", None) => StepState::Pending { since: row.since },
                    ("not-needed", _) => StepState::NotNeeded,
                    ("failed", _) if parked => StepState::Failed { since: row.since },
                    ("failed", _) => StepState::Retrying {
                        since: row.since,
                        next_attempt,
                    },
                    _ => StepState::Waiting,
                };
                Some(StepStatus { system, state })
            })
            .collect();
        let phase = match erasure.status.as_str() {
            // Asked for at once, or the cool-off is over: the job is about to begin, and
            // signing in no longer calls anything off.
            "scheduled" if erasure.erase_after <= self.clock.now() => Phase::Running,
            "scheduled" => Phase::Scheduled {
                erase_after: erasure.erase_after,
            },
            "complete" => Phase::Complete {
                at: erasure.completed_at.unwrap_or(erasure.erase_after),
            },
            "cancelled" => Phase::Cancelled {
                at: erasure.cancelled_at.unwrap_or(erasure.requested_at),
            },
            _ => Phase::Running,
        };
        Ok(Some(ErasureStatus {
            phase,
            requested_at: erasure.requested_at,
            steps,
            recipients: notices
                .iter()
                .filter(|n| n.kind == "recipient")
                .map(|n| RecipientState {
                    name: n.recipient.clone(),
                    told_at: n.told_at,
                })
                .collect(),
            kept: self.kept_lines(lang),
        }))
    }
}

/// When the last of a kind's mails was handed over, if all were.
fn told(notices: &[ErasureNoticeRow], kind: &str) -> Option<DateTime<Utc>> {
    let mine: Vec<_> = notices.iter().filter(|n| n.kind == kind).collect();
    if mine.is_empty() {
        return None;
    }
    mine.iter()
        .map(|n| n.told_at)
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .max()
}
