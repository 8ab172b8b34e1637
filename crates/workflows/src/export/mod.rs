//! "Download my data" (Arts. 15(3) and 20 GDPR): a ZIP with every category of the catalogue,
//! the portal's and the provider's, as JSON (with its schema), as CSV, and as a page a person
//! reads; and a manifest that says what each source delivered.
//!
//! Asking for one records an access request and queues a job in one transaction. The job
//! builds the file in constant memory ([`build`]), shows how far it got, and mails the holder
//! when it is ready. When the provider does not answer, the file is published with the
//! provider's part marked pending and the job tries again until it answers; then the file is
//! replaced by a complete one, the holder is told, and the request closes itself. The file can
//! be downloaded by its owner until it expires; then a second job deletes it.

mod build;
pub mod format;
mod page;

pub use build::{BuildError, FORMAT, ProviderPart};

use crate::{
    accounts::{Site, notices::Notice},
    jobs::{self, Job},
    my_data::MyData,
};

use domain::{AccountId, ClientFacts, Clock, Lang};
use provider::Provider;
use serde::Deserialize;
use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};
use store::{
    Store, StoreError,
    export::{ExportBuilt, ExportRow, NewExport},
    records::NewRightsRequest,
};

/// The JSON Schema of `data.json`, as published (in each export and by the portal).
pub const SCHEMA: &str = include_str!("schema.json");

/// Where the files go and how long they are kept (configuration: `exports`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportSettings {
    /// A folder every instance can reach.
    pub dir: PathBuf,
    /// How long a ready export can be downloaded before its file is deleted.
    #[serde(with = "humantime_serde")]
    pub keep: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// An export for this account is being built; a new one can be asked for once it is ready.
    #[error("an export is being built already")]
    AlreadyBuilding,
    /// No such export for this account, or it is not ready (yet).
    #[error("no such export")]
    NotFound,
    /// Its link expired and its file was deleted.
    #[error("the export has expired")]
    Expired,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A ready export's file, for its owner to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub path: PathBuf,
    pub size: u64,
    /// The name offered to the browser, e.g. `mijn-gegevens-2026-11-24.zip`.
    pub file_name: String,
}

pub(crate) use crate::jobs::Step;

#[derive(Clone)]
pub struct Exports {
    store: Arc<dyn Store>,
    provider: Arc<dyn Provider>,
    clock: Arc<dyn Clock>,
    facts: Arc<ClientFacts>,
    my_data: MyData,
    settings: Arc<ExportSettings>,
    site: Arc<Site>,
}

impl Exports {
    pub fn new(
        my_data: MyData,
        provider: Arc<dyn Provider>,
        settings: ExportSettings,
        site: Site,
    ) -> Self {
        Self {
            store: Arc::clone(my_data.store()),
            provider,
            clock: Arc::clone(my_data.clock()),
            facts: Arc::clone(my_data.facts()),
            my_data,
            settings: Arc::new(settings),
            site: Arc::new(site),
        }
    }

    /// Asks for a new export: records the access request and queues the job that builds it.
    /// Refused while another export of the account is being built.
    #[tracing::instrument(name = "exports.request", skip_all, fields(account = %account))]
    pub async fn request(&self, account: &AccountId, lang: Lang) -> Result<String, ExportError> {
        let building = self
            .store
            .exports(account.as_str(), 1)
            .await?
            .into_iter()
            .any(|e| e.status == "building");
        if building {
            return Err(ExportError::AlreadyBuilding);
        }
        let now = self.clock.now();
        let id = uuid::Uuid::new_v4().simple().to_string();
        let mut tx = self.store.begin().await?;
        let request_id = tx
            .create_rights_request(&NewRightsRequest {
                account_id: account.as_str().to_owned(),
                kind: domain::RequestKind::Access.as_str().to_owned(),
                status: "open".into(),
                category: None,
                details: match lang {
                    Lang::Nl => "Kopie van al mijn gegevens (download)".into(),
                    Lang::En => "A copy of all my data (download)".into(),
                },
                received_at: now,
                closed_at: None,
            })
            .await?;
        let created = tx
            .create_export(&NewExport {
                id: id.clone(),
                account_id: account.as_str().to_owned(),
                request_id,
                language: lang.code().to_owned(),
                sources_total: i64::try_from(self.facts.catalogue.len()).unwrap_or(i64::MAX),
                requested_at: now,
            })
            .await;
        match created {
            Ok(()) => {}
            // Two tabs asking at once: the index lets one through.
            Err(StoreError::Duplicate { .. }) => return Err(ExportError::AlreadyBuilding),
            Err(error) => return Err(error.into()),
        }
        jobs::enqueue(
            &mut *tx,
            &Job::ExportBuild { export: id.clone() },
            None,
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!("export requested");
        Ok(id)
    }

    /// The account's newest exports, newest first.
    pub async fn list(&self, account: &AccountId) -> Result<Vec<ExportRow>, ExportError> {
        Ok(self.store.exports(account.as_str(), 5).await?)
    }

    /// A ready export of this account, to download; the same answer for another account's
    /// export as for none at all.
    pub async fn download(&self, account: &AccountId, id: &str) -> Result<Download, ExportError> {
        let export = self
            .store
            .export(id)
            .await?
            .filter(|e| e.account_id == account.as_str())
            .ok_or(ExportError::NotFound)?;
        let now = self.clock.now();
        match export.status.as_str() {
            "ready" if export.expires_at.is_some_and(|at| at > now) => {}
            "ready" | "expired" => return Err(ExportError::Expired),
            _ => return Err(ExportError::NotFound),
        }
        let path = self.file(&export.id);
        let size = std::fs::metadata(&path)
            .map_err(|_| ExportError::Expired)?
            .len();
        let stem = match Lang::from_code(&export.language) {
            Some(Lang::En) => "my-data",
            _ => "mijn-gegevens",
        };
        Ok(Download {
            path,
            size,
            file_name: format!(
                "{stem}-{}.zip",
                export.ready_at.unwrap_or(now).format("%Y-%m-%d")
            ),
        })
    }

    fn file(&self, id: &str) -> PathBuf {
        self.settings.dir.join(format!("{id}.zip"))
    }

    /// One attempt at building (or completing) an export.
    pub(crate) async fn build(&self, id: &str) -> Step {
        match self.try_build(id).await {
            Ok(step) => step,
            Err(error) => Step::Retry(error.to_string()),
        }
    }

    async fn try_build(&self, id: &str) -> Result<Step, BuildError> {
        let Some(export) = self.store.export(id).await? else {
            return Ok(Step::Done);
        };
        let rebuilding = match (export.status.as_str(), export.provider_state.as_str()) {
            ("building", _) => false,
            // Published with the provider's part missing: complete it.
            ("ready", "pending") => true,
            // Built already (a rerun after a crash), or expired: nothing to do.
            _ => return Ok(Step::Done),
        };
        let Some(account) = self.store.account_by_id(&export.account_id).await? else {
            return Ok(Step::Done);
        };
        if account.deactivated_at.is_some() {
            // Its holder asked for the account's deletion: nothing is processed for it. The
            // erasure deletes the export, or signing in calls the deletion off.
            return Ok(Step::Wait(self.clock.now() + chrono::Duration::hours(1)));
        }
        let lang = Lang::from_code(&export.language).unwrap_or(Lang::Nl);
        std::fs::create_dir_all(&self.settings.dir)?;
        // A folder of this attempt's own: should a lease run out under a very long build, a
        // second attempt works beside the first instead of in its files.
        let attempt = uuid::Uuid::new_v4().simple();
        let parts = self.settings.dir.join(format!("{id}.{attempt}.parts"));
        std::fs::create_dir_all(&parts)?;

        let outcome = self
            .build_in(&export, &account, lang, &parts, rebuilding)
            .await;
        remove_dir(&parts)?;
        outcome
    }

    async fn build_in(
        &self,
        export: &ExportRow,
        account: &store::account::AccountRow,
        lang: Lang,
        parts: &Path,
        rebuilding: bool,
    ) -> Result<Step, BuildError> {
        let collected = self.collect(export, account, parts).await?;
        let pending = matches!(collected.provider, ProviderPart::Pending { .. });
        if rebuilding && pending {
            // Still no answer: the published file stays as it is.
            return Ok(Step::Retry(still_pending(&collected.provider)));
        }
        self.store
            .export_progress(
                &export.id,
                &store::export::ExportProgress {
                    phase: "packing",
                    sources_done: export.sources_total,
                    items_done: collected.parts.iter().map(|p| p.count as i64).sum(),
                },
            )
            .await?;
        let now = self.clock.now();
        let head = build::Head {
            export_id: export.id.clone(),
            account_id: export.account_id.clone(),
            requested_at: export.requested_at,
            lang,
            generated_at: now,
        };
        let temporary = parts.join("export.zip");
        // The ZIP is written by blocking code (`zip` writes to a `std::fs::File`), on a thread
        // of its own so that pages are served meanwhile.
        let (size, collected) = {
            let facts = Arc::clone(&self.facts);
            let temporary = temporary.clone();
            tokio::task::spawn_blocking(move || {
                build::assemble(&temporary, &collected, &head, &facts).map(|size| (size, collected))
            })
            .await
            .map_err(std::io::Error::other)??
        };
        let target = self.file(&export.id);
        std::fs::rename(&temporary, &target)?;

        let keep =
            chrono::Duration::from_std(self.settings.keep).unwrap_or(chrono::Duration::days(7));
        let expires_at = now + keep;
        let complete = !pending && !matches!(collected.provider, ProviderPart::Failed { .. });
        let mut tx = self.store.begin().await?;
        let published = tx
            .export_built(&ExportBuilt {
                id: export.id.clone(),
                provider_state: collected.provider.state().to_owned(),
                provider_reason: collected.provider.reason().map(str::to_owned),
                size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
                ready_at: now,
                completed_at: complete.then_some(now),
                expires_at,
            })
            .await?;
        if !published {
            // Another attempt published it first, or it expired meanwhile (then its file goes).
            drop(tx);
            let expired = self
                .store
                .export(&export.id)
                .await?
                .is_none_or(|e| e.status == "expired");
            if expired {
                std::fs::remove_file(&target)?;
            }
            return Ok(Step::Done);
        }
        if complete && let Some(request) = export.request_id {
            tx.close_rights_request(request, now).await?;
        }
        let notice = if rebuilding {
            Notice::ExportCompleted
        } else {
            Notice::ExportReady {
                provider_pending: pending,
            }
        };
        notice
            .queue(&mut *tx, &account.email, lang, &self.site, now)
            .await?;
        if !rebuilding {
            jobs::enqueue_at(
                &mut *tx,
                &Job::ExportExpire {
                    export: export.id.clone(),
                },
                None,
                now,
                expires_at,
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(
            export = %export.id,
            provider = collected.provider.state(),
            bytes = size,
            "export ready"
        );
        Ok(if pending {
            Step::Retry(still_pending(&collected.provider))
        } else {
            Step::Done
        })
    }

    /// Deletes an export's file once its link has expired.
    pub(crate) async fn expire(&self, id: &str) -> Step {
        let export = match self.store.export(id).await {
            Ok(Some(export)) => export,
            Ok(None) => return Step::Done,
            Err(error) => return Step::Retry(error.to_string()),
        };
        if let Some(at) = export.expires_at
            && at > self.clock.now()
            && export.status == "ready"
        {
            // Completed later than first published: it is kept from then.
            return Step::Wait(at);
        }
        if let Err(error) = self.remove_files(id) {
            return Step::Retry(format!("the export's file stays: {error}"));
        }
        match self.store.export_expired(id).await {
            Ok(_) => {
                tracing::info!(export = %id, "export expired; its file is deleted");
                Step::Done
            }
            Err(error) => Step::Retry(error.to_string()),
        }
    }
}

impl Exports {
    /// The export's file and whatever an attempt that crashed left behind.
    pub(crate) fn remove_files(&self, id: &str) -> std::io::Result<()> {
        let entries = match std::fs::read_dir(&self.settings.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(error),
        };
        let prefix = format!("{id}.");
        for entry in entries {
            let entry = entry?;
            if !entry.file_name().to_string_lossy().starts_with(&prefix) {
                continue;
            }
            if entry.file_type()?.is_dir() {
                remove_dir(&entry.path())?;
            } else {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }
}

fn still_pending(part: &ProviderPart) -> String {
    format!(
        "the export's provider part is pending: {}",
        part.reason().unwrap_or("no answer")
    )
}

fn remove_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}
