//! Carrying out the provider's jobs through the adapter. Long operations (erasure, unlisting)
//! answer with an operation to poll; a job whose operation is still running waits and is run
//! again, sending the same idempotency key, so the provider hands back the same operation.

use super::Job;
use provider::{
    Provider, ProviderError,
    model::{IdempotencyKey, OperationStatus, RecordKind, SubscriberId, UsagePurge},
};

/// Where a provider job got to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Progress {
    Done,
    /// The provider accepted the work and is still carrying it out.
    Running,
    /// The provider carried the operation out and reports that it failed: a person must look.
    OperationFailed,
}

pub(crate) async fn perform(
    provider: &dyn Provider,
    job: &Job,
    key: &IdempotencyKey,
) -> Result<Progress, ProviderError> {
    match job {
        Job::ProviderCorrect {
            subscriber,
            correction,
        } => {
            provider.correct(subscriber, correction, key).await?;
            Ok(Progress::Done)
        }
        Job::ProviderErase { subscriber } => {
            let accepted = provider.erase(subscriber, key).await?;
            follow(provider, &accepted.operation_id).await
        }
        Job::ProviderUnlist { subscriber } => unlist_all(provider, subscriber, key).await,
        Job::ProviderPurgeUsage { before_month } => {
            let purge = UsagePurge {
                before_month: before_month.clone(),
            };
            let applied = provider.purge_usage(&purge, key).await?;
            tracing::info!(
                records = applied.applied,
                "the provider deleted usage records"
            );
            Ok(Progress::Done)
        }
        // Not the provider's: the runner hands these to the exports, erasures and the retention
        // purge. Parked if one gets here.
        Job::ExportBuild { .. }
        | Job::ExportExpire { .. }
        | Job::Erasure { .. }
        | Job::RetentionPurge { .. } => Ok(Progress::OperationFailed),
    }
}

async fn follow(provider: &dyn Provider, operation_id: &str) -> Result<Progress, ProviderError> {
    Ok(match provider.operation(operation_id).await?.status {
        OperationStatus::Done => Progress::Done,
        OperationStatus::Pending => Progress::Running,
        OperationStatus::Failed => Progress::OperationFailed,
    })
}

/// Unlists every directory entry of the subscriber. Each number gets a key of its own derived
/// from the job's, so a rerun asks for each number again without applying anything twice.
async fn unlist_all(
    provider: &dyn Provider,
    subscriber: &SubscriberId,
    key: &IdempotencyKey,
) -> Result<Progress, ProviderError> {
    let mut numbers = Vec::new();
    let mut page = None;
    loop {
        let data = provider
            .subscriber_data(subscriber, page.as_deref())
            .await?;
        numbers.extend(
            data.records
                .into_iter()
                .filter(|r| r.kind == RecordKind::Directory)
                .filter_map(|mut r| r.fields.remove("number")),
        );
        match data.next_page {
            Some(next) => page = Some(next),
            None => break,
        }
    }
    let mut progress = Progress::Done;
    for number in numbers {
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        let number_key = IdempotencyKey::new(format!("{}-{digits}", key.as_str()))
            .ok_or_else(|| ProviderError::Contract("a directory number is not a number".into()))?;
        let accepted = provider.unlist(&number, &number_key).await?;
        match follow(provider, &accepted.operation_id).await? {
            Progress::Done => {}
            Progress::Running => progress = Progress::Running,
            Progress::OperationFailed => return Ok(Progress::OperationFailed),
        }
    }
    Ok(progress)
}
