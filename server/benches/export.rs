//! `make bench`: the export of an account with 100,000 records, beside a baseline that only
//! reads the same records page by page, in one run. Reports wall time and the growth of the
//! process's peak resident memory (Linux: `VmHWM`, reset through `/proc/self/clear_refs`
//! before each measurement) as a Markdown table, on stdout and in `target/bench/export.md`
//! (and as JSON in `target/bench/export.json` for `make bench`'s report).
//!
//! Not a test: nothing here passes or fails on a figure.

// A benchmark's output is its printed table.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use chrono::{Duration, Utc};
use domain::{AccountId, Lang};
use figment::{Figment, providers::Serialized};
use provider_sim::{Faults, testing::StandIn};
use std::{fmt::Write as _, sync::Arc, time::Instant};
use store::{
    Store,
    records::{ContactMessageRow, InvoiceRow, Page, QuoteRequestRow},
};
use workflows::jobs::JobRunner;

const RECORDS: usize = 100_000;

/// Kilobytes of one `/proc/self/status` line, e.g. `VmHWM`.
fn status_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix(key)?
                    .trim_start_matches(':')
                    .trim()
                    .trim_end_matches(" kB")
                    .parse()
                    .ok()
            })
        })
        .unwrap_or(0)
}

/// Starts a measurement: the peak is set back to what is resident now; returns that.
fn reset_peak() -> u64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    status_kb("VmRSS")
}

struct Figures {
    seconds: f64,
    peak_growth_mb: f64,
}

async fn measure<F: std::future::Future<Output = ()>>(work: F) -> Figures {
    let before = reset_peak();
    let started = Instant::now();
    work.await;
    let seconds = started.elapsed().as_secs_f64();
    let peak = status_kb("VmHWM");
    Figures {
        seconds,
        peak_growth_mb: peak.saturating_sub(before) as f64 / 1024.0,
    }
}

async fn seed(store: &dyn Store, account: &str) {
    let now = Utc::now();
    let mut tx = store.begin().await.expect("begin");
    tx.create_account(&store::testing::customer(
        account,
        "bench@bakkerij.example",
        now,
    ))
    .await
    .expect("account");
    tx.link_provider_subscriber(account, "OO-100001")
        .await
        .expect("linked");
    for n in 0..RECORDS {
        let at = now - Duration::minutes(n as i64);
        match n % 4 {
            0 => {
                tx.insert_contact_message(&ContactMessageRow {
                    id: 0,
                    account_id: account.into(),
                    subject: format!("Vraag {n} over mijn aansluiting"),
                    message: "Beste support, \"mijn\" glasvezel valt af en toe weg; =kunt u kijken?\nGroet, Sanne".into(),
                    received_at: at,
                })
                .await
                .expect("message");
            }
            1 => {
                tx.insert_quote_request(&QuoteRequestRow {
                    id: 0,
                    account_id: account.into(),
                    service: "Zakelijk glasvezel".into(),
                    details: format!(
                        "Offerte {n} voor 1 Gbit/s op de Dorpsstraat, met vaste IP-adressen"
                    ),
                    requested_at: at,
                    supplier_name: Some("Glasvezelpartners".into()),
                    supplier_email: Some("offertes@glasvezelpartners.example".into()),
                    shared_at: Some(at),
                })
                .await
                .expect("quote");
            }
            _ => {
                tx.insert_invoice(&InvoiceRow {
                    id: 0,
                    account_id: account.into(),
                    number: format!("F-{n:08}"),
                    description: "Zakelijk glasvezel en telefonie, maandbedrag".into(),
                    amount_cents: 12_345 + n as i64,
                    issued_at: at,
                })
                .await
                .expect("invoice");
            }
        }
    }
    tx.commit().await.expect("commit");
}

/// The baseline: every record read from the store page by page, nothing written.
async fn read_everything(store: &dyn Store, account: &str) -> usize {
    let mut seen = 0;
    let mut page = Some(Page::first(500));
    while let Some(current) = page {
        let rows = store.invoices(account, current).await.expect("read");
        seen += rows.len();
        page = (rows.len() == 500).then(|| current.after(rows[rows.len() - 1].id));
    }
    for list in [0, 1] {
        let mut page = Some(Page::first(500));
        while let Some(current) = page {
            let last = if list == 0 {
                let rows = store
                    .contact_messages(account, current)
                    .await
                    .expect("read");
                seen += rows.len();
                (rows.len() == 500).then(|| rows[499].id)
            } else {
                let rows = store.quote_requests(account, current).await.expect("read");
                seen += rows.len();
                (rows.len() == 500).then(|| rows[499].id)
            };
            page = last.map(|id| current.after(id));
        }
    }
    seen
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a folder");
    let stand_in = StandIn::start(Faults::default()).await;
    let overrides = Figment::new()
        .merge(Serialized::default(
            "database_url",
            format!("sqlite://{}", dir.path().join("portal.db").display()),
        ))
        .merge(Serialized::default(
            "exports.dir",
            dir.path().join("exports"),
        ))
        .merge(Serialized::default("provider_api.base_url", stand_in.url()))
        .merge(Serialized::default(
            "provider_api.api_key",
            provider_sim::testing::TEST_KEY,
        ));
    let config = server::Config::load_with(None, overrides).expect("configuration");
    let store = store::connect(&config.database_url).await.expect("store");
    let account = "acc_bench";
    let seeding = Instant::now();
    seed(store.as_ref(), account).await;
    eprintln!(
        "seeded {RECORDS} records in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let provider =
        server::workers::provider(&config, &server::observe::Metrics::default()).expect("client");
    let clock: Arc<dyn domain::Clock> = Arc::new(domain::SystemClock);
    let my_data = server::workers::my_data(&config, &store, &provider, &clock);
    let exports = server::workers::exports(&config, my_data, &provider);
    let runner = JobRunner::new(
        Arc::clone(&store),
        Arc::clone(&provider),
        Arc::clone(&clock),
        config.jobs.clone(),
    )
    .with_exports(exports.clone());

    let mut read = 0;
    let baseline = measure(async {
        read = read_everything(store.as_ref(), account).await;
    })
    .await;
    assert_eq!(read, RECORDS, "the baseline read every record");

    let holder = AccountId::from_stored(account.to_owned());
    exports.request(&holder, Lang::Nl).await.expect("requested");
    let export = measure(async {
        let drained = runner.drain().await.expect("drained");
        assert_eq!(drained.done, 1, "the export was built");
    })
    .await;
    let built = exports.list(&holder).await.expect("listed");
    let size_mb = built[0].size_bytes.unwrap_or(0) as f64 / 1_048_576.0;
    let items = built[0].items_done;

    let mut report = String::new();
    let _ = writeln!(
        report,
        "### Export of one account with {RECORDS} records (SQLite, stand-in provider)\n"
    );
    let _ = writeln!(report, "| run | wall time | peak RSS growth | output |");
    let _ = writeln!(report, "| --- | ---: | ---: | --- |");
    let _ = writeln!(
        report,
        "| baseline: read every record, page by page | {:.2} s | {:.1} MB | {read} rows |",
        baseline.seconds, baseline.peak_growth_mb
    );
    let _ = writeln!(
        report,
        "| export: read, write JSON lines, ZIP with data.json, CSV, index.html, manifest | {:.2} s | {:.1} MB | {items} items, {size_mb:.1} MB ZIP |",
        export.seconds, export.peak_growth_mb
    );
    let _ = writeln!(
        report,
        "\nGoals: peak growth under 16 MB, under 5 s. The export took {:.1}× the baseline's time.",
        export.seconds / baseline.seconds.max(f64::EPSILON)
    );
    print!("{report}");
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    if std::fs::create_dir_all(&out).is_ok() {
        let _ = std::fs::write(out.join("export.md"), &report);
        // The same figures for `bench/run.mjs`, which folds them into `make bench`'s report.
        let figures = serde_json::json!({
            "records": RECORDS,
            "baseline": { "seconds": baseline.seconds, "peak_growth_mb": baseline.peak_growth_mb, "rows": read },
            "export": { "seconds": export.seconds, "peak_growth_mb": export.peak_growth_mb, "items": items, "zip_mb": size_mb },
        });
        let _ = std::fs::write(out.join("export.json"), figures.to_string());
    }
    store.close().await;
}
