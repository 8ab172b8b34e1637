//! Building an export in two passes, in constant memory whatever the account's size. First every
//! source is read page by page into one file of JSON lines per category (noting its columns and
//! count); then the ZIP is written from those files: `data.json`, a CSV per category,
//! `index.html`, `schema.json`, and `manifest.json` with the size and SHA-256 of each.

use super::{
    Exports, SCHEMA,
    format::{Hashing, LineWriter, write_csv},
    page,
};
use crate::my_data::{self, set_kept_until};
use chrono::{DateTime, Utc};
use domain::{Described, Holder, Lang};
use provider::{ProviderError, model::SubscriberId};
use serde::Serialize;
use std::{
    fs::File,
    io::{self, BufRead, BufReader, BufWriter, Write},
    path::{Path, PathBuf},
};
use store::{
    StoreError,
    account::AccountRow,
    export::{ExportProgress, ExportRow},
    records::Page,
};
use zip::{CompressionMethod, ZipWriter, write::SimpleFileOptions};

/// Rows read from the store at a time.
const PAGE: u32 = 500;

/// The `format` of `data.json` and `manifest.json`.
pub const FORMAT: &str = "privacy-portal-export/1";

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the export's files could not be written: {0}")]
    Io(#[from] io::Error),
}

/// What became of the provider's part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderPart {
    Complete {
        at: DateTime<Utc>,
    },
    /// It did not answer; the part follows when it does.
    Pending {
        at: DateTime<Utc>,
        reason: String,
    },
    /// It refused; trying again will not help, staff follow it up.
    Failed {
        at: DateTime<Utc>,
        reason: String,
    },
    /// The holder is not a subscriber there.
    NotHeld,
}

impl ProviderPart {
    /// The state's word in the files and the store.
    pub fn state(&self) -> &'static str {
        match self {
            ProviderPart::Complete { .. } => "complete",
            ProviderPart::Pending { .. } => "pending",
            ProviderPart::Failed { .. } => "failed",
            ProviderPart::NotHeld => "not-held",
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            ProviderPart::Pending { reason, .. } | ProviderPart::Failed { reason, .. } => {
                Some(reason)
            }
            _ => None,
        }
    }

    fn read_at(&self) -> Option<DateTime<Utc>> {
        match self {
            ProviderPart::Complete { at }
            | ProviderPart::Pending { at, .. }
            | ProviderPart::Failed { at, .. } => Some(*at),
            ProviderPart::NotHeld => None,
        }
    }
}

/// One category read: its JSON lines on disk, its columns and its count.
pub(super) struct Part {
    /// Its place in the catalogue.
    index: usize,
    id: String,
    pub held_by: Holder,
    lines: PathBuf,
    pub columns: Vec<String>,
    pub count: u64,
}

impl Part {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The category's facts and retention rule.
    pub fn described<'f>(&self, facts: &'f domain::ClientFacts) -> io::Result<Described<'f>> {
        facts
            .catalogue()
            .nth(self.index)
            .filter(|d| d.category.id == self.id)
            .ok_or_else(|| io::Error::other("the catalogue changed while an export was built"))
    }

    pub fn lines(&self) -> io::Result<BufReader<File>> {
        Ok(BufReader::new(File::open(&self.lines)?))
    }

    /// The category's state: the provider's for its categories, complete for ours.
    pub fn state<'s>(&self, provider: &'s ProviderPart) -> &'s str {
        match self.held_by {
            Holder::Provider => provider.state(),
            Holder::Portal => "complete",
        }
    }
}

/// Every source read.
pub(super) struct Collected {
    pub parts: Vec<Part>,
    pub provider: ProviderPart,
    pub local_read_at: DateTime<Utc>,
}

/// What the written files say about themselves.
pub(super) struct Head {
    pub export_id: String,
    pub account_id: String,
    pub requested_at: DateTime<Utc>,
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
}

type Writers = Vec<(String, LineWriter<BufWriter<File>>)>;

impl Exports {
    /// Reads every source into `dir`, one file of JSON lines per category.
    pub(super) async fn collect(
        &self,
        export: &ExportRow,
        account: &AccountRow,
        dir: &Path,
    ) -> Result<Collected, BuildError> {
        let local_read_at = self.clock.now();
        let catalogue: Vec<Described<'_>> = self.facts.catalogue().collect();
        let mut items_done = 0i64;
        let mut sources_done = 0i64;
        let mut local = Vec::new();
        for described in catalogue.iter().filter(|d| d.held_by() == Holder::Portal) {
            let id = described.category.id.as_str();
            self.progress(export, id, sources_done, items_done).await?;
            let mut writer = writer(dir, id)?;
            let mut page = Some(Page::first(PAGE));
            while let Some(current) = page {
                let chunk = self.my_data.local_items(account, id, current).await?;
                items_done += i64::try_from(chunk.items.len()).unwrap_or(i64::MAX);
                for mut item in chunk.items {
                    set_kept_until(described, &mut item);
                    writer.write(&item)?;
                }
                page = chunk.next;
                if page.is_some() {
                    self.progress(export, id, sources_done, items_done).await?;
                }
            }
            sources_done += 1;
            local.push((id.to_owned(), writer));
        }

        let at_provider: Vec<&Described<'_>> = catalogue
            .iter()
            .filter(|d| d.held_by() == Holder::Provider)
            .collect();
        self.progress(export, "provider", sources_done, items_done)
            .await?;
        let subscriber = account
            .provider_subscriber
            .as_deref()
            .and_then(|id| SubscriberId::parse(id).ok());
        let (provider, remote) = match subscriber {
            None => (ProviderPart::NotHeld, empty_writers(dir, &at_provider)?),
            Some(subscriber) => {
                self.read_provider(
                    export,
                    &subscriber,
                    &at_provider,
                    dir,
                    sources_done,
                    items_done,
                )
                .await?
            }
        };

        let mut written: Vec<(String, LineWriter<BufWriter<File>>)> = local;
        written.extend(remote);
        let mut parts = Vec::new();
        for (index, described) in catalogue.into_iter().enumerate() {
            let id = described.category.id.as_str();
            let Some(at) = written.iter().position(|(w, _)| w == id) else {
                continue;
            };
            let (_, writer) = written.swap_remove(at);
            let (_, columns, count) = writer.finish()?;
            parts.push(Part {
                index,
                id: id.to_owned(),
                held_by: described.held_by(),
                lines: lines_path(dir, id),
                columns,
                count,
            });
        }
        Ok(Collected {
            parts,
            provider,
            local_read_at,
        })
    }

    /// Every page of the subscriber's data, each record into its category's file. When the
    /// provider fails part-way, what was read is thrown away: its part is pending or failed
    /// as a whole, never half there.
    async fn read_provider(
        &self,
        export: &ExportRow,
        subscriber: &SubscriberId,
        categories: &[&Described<'_>],
        dir: &Path,
        sources_done: i64,
        mut items_done: i64,
    ) -> Result<(ProviderPart, Writers), BuildError> {
        let at = self.clock.now();
        let mut writers = empty_writers(dir, categories)?;
        let mut page: Option<String> = None;
        loop {
            let data = match self
                .provider
                .subscriber_data(subscriber, page.as_deref())
                .await
            {
                Ok(data) => data,
                Err(error) => {
                    tracing::warn!(%error, "the provider's part of an export could not be read");
                    let part = match error {
                        ProviderError::Unavailable { reason, .. } => ProviderPart::Pending {
                            at,
                            reason: format!("the provider is unavailable ({reason})"),
                        },
                        ProviderError::CircuitOpen { .. } => ProviderPart::Pending {
                            at,
                            reason: "the provider is unavailable (calls paused after failures)"
                                .into(),
                        },
                        ProviderError::NeedsAttention { status, .. } => ProviderPart::Failed {
                            at,
                            reason: format!("the provider refused the request ({status})"),
                        },
                        ProviderError::Contract(_) => ProviderPart::Failed {
                            at,
                            reason: "the provider's answer did not match the contract".into(),
                        },
                    };
                    return Ok((part, empty_writers(dir, categories)?));
                }
            };
            items_done += i64::try_from(data.records.len()).unwrap_or(i64::MAX);
            for record in &data.records {
                let category = my_data::category_of(record.kind);
                let Some((_, writer)) = writers.iter_mut().find(|(id, _)| id == category) else {
                    continue;
                };
                let Some(described) = categories.iter().find(|d| d.category.id == category) else {
                    continue;
                };
                let mut item = my_data::provider_item(record);
                set_kept_until(described, &mut item);
                writer.write(&item)?;
            }
            match data.next_page {
                Some(next) => page = Some(next),
                None => break,
            }
            self.progress(export, "provider", sources_done, items_done)
                .await?;
        }
        Ok((ProviderPart::Complete { at }, writers))
    }

    async fn progress(
        &self,
        export: &ExportRow,
        phase: &str,
        sources_done: i64,
        items_done: i64,
    ) -> Result<(), StoreError> {
        self.store
            .export_progress(
                &export.id,
                &ExportProgress {
                    phase,
                    sources_done,
                    items_done,
                },
            )
            .await
    }
}

fn lines_path(dir: &Path, category: &str) -> PathBuf {
    dir.join(format!("{category}.jsonl"))
}

fn writer(dir: &Path, category: &str) -> io::Result<LineWriter<BufWriter<File>>> {
    Ok(LineWriter::new(BufWriter::new(File::create(lines_path(
        dir, category,
    ))?)))
}

fn empty_writers(dir: &Path, categories: &[&Described<'_>]) -> io::Result<Writers> {
    categories
        .iter()
        .map(|d| Ok((d.category.id.clone(), writer(dir, &d.category.id)?)))
        .collect()
}

/// One file in the manifest.
#[derive(Debug, Serialize)]
struct FileEntry {
    path: String,
    bytes: u64,
    sha256: String,
}

#[derive(Serialize)]
struct SourceEntry<'a> {
    system: &'static str,
    name: &'a str,
    state: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    read_at: Option<DateTime<Utc>>,
    categories: Vec<CategoryCount<'a>>,
}

#[derive(Serialize)]
struct CategoryCount<'a> {
    id: &'a str,
    rows: u64,
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'static str,
    export_id: &'a str,
    organisation: &'a str,
    requested_at: DateTime<Utc>,
    generated_at: DateTime<Utc>,
    /// Every source read completely.
    complete: bool,
    sources: Vec<SourceEntry<'a>>,
    files: Vec<FileEntry>,
    csv: &'static str,
}

/// How the CSV files are written, for whoever reads them by program.
const CSV_NOTE: &str = "UTF-8, comma-separated, CRLF line ends, quoted as RFC 4180 says; the \
    first three columns are item_id, recorded_at and kept_until, the item's fields follow; an \
    empty cell is an empty or absent field. A cell that starts with = + - @ ' or a tab or \
    carriage return has an apostrophe put in front, so that no spreadsheet runs it as a \
    formula: drop one leading apostrophe to get the value.";

/// Writes the ZIP at `target` from the collected parts; returns its size.
pub(super) fn assemble(
    target: &Path,
    collected: &Collected,
    head: &Head,
    facts: &domain::ClientFacts,
) -> io::Result<u64> {
    let file = File::create(target)?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644);
    let mut files = Vec::new();
    let mut entry = |zip: &mut ZipWriter<BufWriter<File>>,
                     path: &str,
                     write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>|
     -> io::Result<()> {
        zip.start_file(path, options).map_err(io::Error::other)?;
        let mut hashing = Hashing::new(&mut *zip);
        write(&mut hashing)?;
        let (_, sha256, bytes) = hashing.finish();
        files.push(FileEntry {
            path: path.to_owned(),
            bytes,
            sha256,
        });
        Ok(())
    };

    entry(&mut zip, "data.json", &mut |out| {
        write_data_json(out, collected, head, facts)
    })?;
    for part in &collected.parts {
        let path = format!("csv/{}.csv", part.id());
        entry(&mut zip, &path, &mut |out| {
            write_csv(part.lines()?, &part.columns, out)
        })?;
    }
    entry(&mut zip, "index.html", &mut |out| {
        page::write_index(out, collected, head, facts)
    })?;
    entry(&mut zip, "schema.json", &mut |out| {
        out.write_all(SCHEMA.as_bytes())
    })?;

    let portal = counts(collected, Holder::Portal);
    let at_provider = counts(collected, Holder::Provider);
    let manifest = Manifest {
        format: FORMAT,
        export_id: &head.export_id,
        organisation: &facts.organisation.name,
        requested_at: head.requested_at,
        generated_at: head.generated_at,
        complete: collected.provider.reason().is_none(),
        sources: vec![
            SourceEntry {
                system: "portal",
                name: &facts.organisation.name,
                state: "complete",
                reason: None,
                read_at: Some(collected.local_read_at),
                categories: portal,
            },
            SourceEntry {
                system: "provider",
                name: &facts.provider.display_name,
                state: collected.provider.state(),
                reason: collected.provider.reason(),
                read_at: collected.provider.read_at(),
                categories: at_provider,
            },
        ],
        files,
        csv: CSV_NOTE,
    };
    zip.start_file("manifest.json", options)
        .map_err(io::Error::other)?;
    serde_json::to_writer_pretty(&mut zip, &manifest)?;
    let mut out = zip.finish().map_err(io::Error::other)?;
    out.flush()?;
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    Ok(file.metadata()?.len())
}

fn counts(collected: &Collected, holder: Holder) -> Vec<CategoryCount<'_>> {
    collected
        .parts
        .iter()
        .filter(|p| p.held_by == holder)
        .map(|p| CategoryCount {
            id: p.id(),
            rows: p.count,
        })
        .collect()
}

/// `data.json`, streamed: the head, then each category with its JSON lines as the items.
fn write_data_json(
    out: &mut dyn Write,
    collected: &Collected,
    head: &Head,
    facts: &domain::ClientFacts,
) -> io::Result<()> {
    let json = |value: &str| serde_json::to_string(value).map_err(io::Error::other);
    write!(
        out,
        "{{\"format\":{},\"export_id\":{},\"generated_at\":{},\"organisation\":{},\"holder\":{{\"account_id\":{},\"language\":{}}},\"categories\":[",
        json(FORMAT)?,
        json(&head.export_id)?,
        json(&head.generated_at.to_rfc3339())?,
        json(&facts.organisation.name)?,
        json(&head.account_id)?,
        json(head.lang.code())?,
    )?;
    for (n, part) in collected.parts.iter().enumerate() {
        if n > 0 {
            out.write_all(b",")?;
        }
        let held_by = match part.held_by {
            Holder::Portal => "portal",
            Holder::Provider => "provider",
        };
        write!(
            out,
            "\n{{\"id\":{},\"title\":{},\"held_by\":{},\"state\":{},\"items\":[",
            json(part.id())?,
            json(part.described(facts)?.category.title.get(head.lang))?,
            json(held_by)?,
            json(part.state(&collected.provider))?,
        )?;
        let mut lines = part.lines()?;
        let mut line = String::new();
        let mut first = true;
        while lines.read_line(&mut line)? > 0 {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(b"\n")?;
            out.write_all(line.trim_end().as_bytes())?;
            line.clear();
        }
        out.write_all(b"]}")?;
    }
    out.write_all(b"\n]}\n")
}
