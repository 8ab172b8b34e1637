//! "Download je gegevens" over HTTP: an export is asked for, built by the job runner beside the
//! stand-in provider, mailed about, and downloaded as a ZIP whose files are checked against each
//! other: the JSON against its published schema, each CSV against the JSON, the manifest's
//! hashes against the files, and nothing of another customer anywhere.

mod common;

use common::{
    TestApp,
    browser::{Browser, PASSWORD, Via, mail_to, signed_in_customer},
    signed_in_subscriber, spawn_beside as portal_beside, store_and_account,
};
use provider_sim::{Faults, testing::StandIn};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::{collections::BTreeMap, io::Read, time::Duration};

/// Text no spreadsheet may run and no parser may mangle.
const AWKWARD: &str =
    "=HYPERLINK(\"http://evil.example\",\"klik\")\r\nregel 2, met \"quotes\"; é € 中文 🙂";

/// A portal calling `stand_in` with its default timing (no quick retries), for tests that set
/// their own.
fn calling(stand_in: &StandIn) -> common::Spawn {
    common::spawn()
        .set("provider_api.base_url", stand_in.url())
        .set("provider_api.api_key", provider_sim::testing::TEST_KEY)
        .set("jobs.poll_interval", "100ms")
}

/// Asks for an export as the hydrated page does; returns the answer's status and body.
async fn ask(app: &TestApp, browser: &mut Browser) -> (u16, String) {
    let answer = browser
        .call(
            app,
            "my_data/export",
            &[("lang", "nl")],
            Via::Script,
            "/nl/my-data/export",
        )
        .await;
    (answer.status, answer.body)
}

/// The holder's newest export as the page reads it, once `done` says it has got far enough.
async fn wait_for(app: &TestApp, browser: &mut Browser, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..300 {
        let answer = browser.get(app, "/api/my_data/exports?lang=nl").await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let view: Value = serde_json::from_str(&answer.body).expect("JSON");
        if let Some(newest) = view["exports"].get(0)
            && done(newest)
        {
            return newest.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the export never got there");
}

fn ready(export: &Value) -> bool {
    export["status"] == "ready"
}

/// Every file in the ZIP by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let mut files = BTreeMap::new();
    for n in 0..archive.len() {
        let mut file = archive.by_index(n).expect("an entry");
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("readable");
        let name = file.name().expect("a UTF-8 name").into_owned();
        files.insert(name, content);
    }
    files
}

fn json(files: &BTreeMap<String, Vec<u8>>, name: &str) -> Value {
    serde_json::from_slice(
        files
            .get(name)
            .unwrap_or_else(|| panic!("{name} is missing")),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn download(
    app: &TestApp,
    browser: &mut Browser,
    export: &Value,
) -> BTreeMap<String, Vec<u8>> {
    let path = format!(
        "/nl/my-data/export/{}/download",
        export["id"].as_str().expect("an id")
    );
    let (status, headers, bytes) = browser.download(app, &path).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(headers["content-type"], "application/zip");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("text")
            .starts_with("attachment; filename=\"mijn-gegevens-"),
    );
    unzip(&bytes)
}

async fn give_awkward_records(app: &TestApp, email: &str) {
    let (store, account) = store_and_account(app, email).await;
    let now = chrono::Utc::now();
    let mut tx = store.begin().await.expect("begin");
    tx.insert_contact_message(&store::records::ContactMessageRow {
        id: 0,
        account_id: account.id.clone(),
        subject: "+31 6 vraag @support -min".into(),
        message: AWKWARD.into(),
        received_at: now - chrono::Duration::days(3),
    })
    .await
    .expect("message");
    tx.insert_invoice(&store::records::InvoiceRow {
        id: 0,
        account_id: account.id.clone(),
        number: format!("F-{}", &account.id[..8.min(account.id.len())]),
        description: "Zakelijk glasvezel, november".into(),
        amount_cents: -1_005,
        issued_at: now - chrono::Duration::days(20),
    })
    .await
    .expect("invoice");
    tx.commit().await.expect("commit");
    store.close().await;
}

/// The manifest lists every other file with its size and SHA-256, and they match.
fn check_manifest(files: &BTreeMap<String, Vec<u8>>) -> Value {
    let manifest = json(files, "manifest.json");
    let listed: BTreeMap<String, (u64, String)> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("a path").to_owned(),
                (
                    f["bytes"].as_u64().expect("a size"),
                    f["sha256"].as_str().expect("a hash").to_owned(),
                ),
            )
        })
        .collect();
    let others: Vec<&String> = files.keys().filter(|n| *n != "manifest.json").collect();
    assert_eq!(
        listed.keys().collect::<Vec<_>>(),
        others,
        "every file is listed"
    );
    for (name, (bytes, sha256)) in &listed {
        let content = &files[name];
        assert_eq!(*bytes, content.len() as u64, "{name}'s size");
        let digest: String = Sha256::digest(content)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&digest, sha256, "{name}'s hash");
    }
    manifest
}

/// Each category's CSV, parsed and unescaped, holds exactly the rows of its JSON items.
fn check_csv_against_json(files: &BTreeMap<String, Vec<u8>>, data: &Value) {
    for category in data["categories"].as_array().expect("categories") {
        let id = category["id"].as_str().expect("an id");
        let csv = files
            .get(&format!("csv/{id}.csv"))
            .unwrap_or_else(|| panic!("no CSV for {id}"));
        let text = std::str::from_utf8(csv).expect("UTF-8");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let columns: Vec<String> = reader
            .headers()
            .expect("a header")
            .iter()
            .map(|c| workflows::export::format::unescape_cell(c).to_owned())
            .collect();
        assert_eq!(columns[..3], ["item_id", "recorded_at", "kept_until"]);
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.expect("a record");
            for cell in &record {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{id}: a cell a spreadsheet would run: {cell:?}"
                );
            }
            rows.push(
                record
                    .iter()
                    .map(|c| workflows::export::format::unescape_cell(c).to_owned())
                    .collect::<Vec<_>>(),
            );
        }
        let from_json: Vec<Vec<String>> = category["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|item| {
                let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
                let mut row = vec![
                    text(&item["id"]),
                    text(&item["recorded_at"]),
                    text(&item["kept_until"]),
                ];
                row.extend(columns[3..].iter().map(|c| text(&item["fields"][c])));
                row
            })
            .collect();
        assert_eq!(rows, from_json, "{id}: the CSV says what the JSON says");
    }
}

async fn requests_of(app: &TestApp, email: &str) -> Vec<store::records::RightsRequestRow> {
    let (store, account) = store_and_account(app, email).await;
    let requests = store
        .rights_requests(&account.id, store::records::Page::ALL)
        .await
        .expect("read");
    store.close().await;
    requests
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_holds_every_category_valid_against_its_schema_with_csv_that_reads_back_the_same_matching_hashes_and_no_other_customers_data()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_subscriber(&app, "sanne@bakkerij.example", "OO-100001").await;
    give_awkward_records(&app, "sanne@bakkerij.example").await;
    let mut mark = signed_in_subscriber(&app, "mark@installatie.example", "OO-100002").await;
    give_awkward_records(&app, "mark@installatie.example").await;

    let (status, body) = ask(&app, &mut sanne).await;
    assert_eq!(status, 200, "{body}");
    let export = wait_for(&app, &mut sanne, ready).await;
    assert_eq!(export["provider_state"], "complete");
    let mail = mail_to(&app.outbox, "sanne@bakkerij.example").await;
    assert_eq!(mail.subject, "Je gegevens staan klaar om te downloaden");
    assert!(mail.text.contains("/nl/my-data/export"), "{}", mail.text);

    let files = download(&app, &mut sanne, &export).await;
    let data = json(&files, "data.json");
    let schema = json(&files, "schema.json");
    let served = app.get("/schema/export-v1.json").await;
    assert_eq!(served.status(), 200);
    assert_eq!(
        served.json::<Value>().await.expect("JSON"),
        schema,
        "the published schema is the one in the ZIP"
    );
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let problems: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "data.json breaks its schema: {problems:?}"
    );

    let config = server::Config::load(None).expect("defaults");
    let ids: Vec<&str> = data["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| c["id"].as_str().expect("an id"))
        .collect();
    let catalogue: Vec<&str> = config
        .facts
        .catalogue
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        ids, catalogue,
        "every category of the catalogue, in its order"
    );

    let category = |id: &str| {
        data["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .expect("the category")
    };
    let messages = category("contact-messages");
    assert_eq!(messages["items"][0]["fields"]["message"], AWKWARD);
    assert!(
        category("provider-numbers-services")
            .to_string()
            .contains("+31201234567"),
        "the provider's part is there"
    );
    assert!(
        category("account")
            .to_string()
            .contains("sanne@bakkerij.example"),
        "the account is there"
    );

    check_csv_against_json(&files, &data);
    let manifest = check_manifest(&files);
    assert_eq!(manifest["complete"], true);
    let sources = manifest["sources"].as_array().expect("sources");
    assert_eq!(sources[0]["state"], "complete");
    assert_eq!(sources[1]["system"], "provider");
    assert_eq!(sources[1]["state"], "complete");
    for source in sources {
        for counted in source["categories"].as_array().expect("counts") {
            let items = category(counted["id"].as_str().expect("an id"))["items"]
                .as_array()
                .expect("items")
                .len();
            assert_eq!(counted["rows"].as_u64(), Some(items as u64));
        }
    }

    let index = String::from_utf8(files["index.html"].clone()).expect("UTF-8");
    assert!(index.starts_with("<!doctype html>\n<html lang=\"nl\">"));
    assert!(
        !index.contains("<script") && !index.contains("src="),
        "self-contained"
    );
    for text in [
        "Autoriteit Persoonsgegevens",
        "Waarvoor we het gebruiken",
        "Hoe lang we het bewaren",
        "Wie het ontvangt",
        "Waar het vandaan komt",
        "Geautomatiseerde besluitvorming",
    ] {
        assert!(index.contains(text), "index.html lacks {text}");
    }
    for described in &config.facts.catalogue {
        assert!(index.contains(&described.title.nl), "{}", described.id);
    }
    assert!(
        !index.contains("=HYPERLINK(\"") && index.contains("=HYPERLINK(&quot;"),
        "escaped as HTML"
    );

    let everything: String = files
        .values()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    for other in ["mark@installatie.example", "+31307654321", "OO-100002"] {
        assert!(!everything.contains(other), "another customer's {other}");
    }

    let requests = requests_of(&app, "sanne@bakkerij.example").await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        (requests[0].kind.as_str(), requests[0].status.as_str()),
        ("access", "closed"),
        "recorded as an access request that closed itself"
    );

    // Mark knows the id: he still gets nothing.
    let path = format!(
        "/nl/my-data/export/{}/download",
        export["id"].as_str().expect("id")
    );
    let (status, _, body) = mark.download(&app, &path).await;
    assert_eq!(status, 404);
    assert!(!String::from_utf8_lossy(&body).contains("sanne"));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_provider_down_the_export_comes_with_the_provider_pending_and_is_completed_when_it_answers()
 {
    let stand_in = StandIn::start(Faults {
        down: true,
        ..Faults::default()
    })
    .await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_subscriber(&app, "sanne@bakkerij.example", "OO-100001").await;

    assert_eq!(ask(&app, &mut sanne).await.0, 200);
    let export = wait_for(&app, &mut sanne, ready).await;
    assert_eq!(export["provider_state"], "pending");
    let mail = mail_to(&app.outbox, "sanne@bakkerij.example").await;
    assert!(
        mail.text.contains("kon nog niet worden opgehaald"),
        "{}",
        mail.text
    );
    let files = download(&app, &mut sanne, &export).await;
    let manifest = check_manifest(&files);
    assert_eq!(manifest["complete"], false);
    assert_eq!(manifest["sources"][1]["state"], "pending");
    assert!(
        manifest["sources"][1]["reason"]
            .as_str()
            .expect("a reason")
            .contains("unavailable")
    );
    let data = json(&files, "data.json");
    for category in data["categories"].as_array().expect("categories") {
        if category["held_by"] == "provider" {
            assert_eq!(category["state"], "pending");
            assert_eq!(category["items"].as_array().expect("items").len(), 0);
        } else {
            assert_eq!(category["state"], "complete");
        }
    }
    let index = String::from_utf8(files["index.html"].clone()).expect("UTF-8");
    assert!(
        index.contains("id=\"pending\""),
        "the page says a part is missing"
    );
    let open = requests_of(&app, "sanne@bakkerij.example").await;
    assert_eq!(open[0].status, "open", "not complete, so not closed");

    stand_in.set_faults(&Faults::default()).await;
    let completed = wait_for(&app, &mut sanne, |e| e["provider_state"] == "complete").await;
    assert_eq!(completed["id"], export["id"], "the same export, completed");
    let mail = mail_to(&app.outbox, "sanne@bakkerij.example").await;
    assert_eq!(mail.subject, "Je gegevens zijn compleet");
    let files = download(&app, &mut sanne, &completed).await;
    let manifest = check_manifest(&files);
    assert_eq!(manifest["complete"], true);
    assert_eq!(manifest["sources"][1]["state"], "complete");
    let data = json(&files, "data.json");
    assert!(
        data.to_string().contains("+31201234567"),
        "the provider's part arrived"
    );
    let closed = requests_of(&app, "sanne@bakkerij.example").await;
    assert_eq!(closed[0].status, "closed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_export_is_refused_while_one_is_being_built_and_allowed_once_it_is_ready() {
    let stand_in = StandIn::start(Faults {
        latency_ms: 1_500,
        ..Faults::default()
    })
    .await;
    let app = calling(&stand_in)
        .set("provider_api.attempt_timeout", "5s")
        .start()
        .await;
    let mut sanne = signed_in_subscriber(&app, "sanne@bakkerij.example", "OO-100001").await;

    assert_eq!(ask(&app, &mut sanne).await.0, 200);
    let building = wait_for(&app, &mut sanne, |e| e["phase"].as_str().is_some()).await;
    assert_eq!(building["status"], "building");
    let (status, body) = ask(&app, &mut sanne).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("InProgress"), "{body}");
    let form = sanne
        .call(
            &app,
            "my_data/export",
            &[("lang", "nl")],
            Via::Form,
            "/nl/my-data/export",
        )
        .await;
    let back = form.location.expect("without JavaScript back to the page");
    let back = back.trim_start_matches(&app.address);
    assert!(back.starts_with("/nl/my-data/export"), "{back}");
    let page = sanne.get(&app, back).await;
    assert!(
        page.body
            .contains("Er wordt al een kopie van je gegevens gemaakt"),
        "with the message"
    );
    assert_eq!(
        requests_of(&app, "sanne@bakkerij.example").await.len(),
        1,
        "nothing changed"
    );

    wait_for(&app, &mut sanne, ready).await;
    assert_eq!(
        ask(&app, &mut sanne).await.0,
        200,
        "a new one once it is ready"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn asvs_v7_5_3_v8_2_2_and_v14_3_2_an_export_is_downloaded_only_by_its_owner_after_re_authentication_and_never_cached()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = calling(&stand_in)
        .set("session.reauth_valid", "2s")
        .start()
        .await;
    let mut sanne = signed_in_customer(&app, "sanne@bakkerij.example").await;
    assert_eq!(ask(&app, &mut sanne).await.0, 200);
    let export = wait_for(&app, &mut sanne, ready).await;
    let path = format!(
        "/nl/my-data/export/{}/download",
        export["id"].as_str().expect("id")
    );

    let (status, headers, _) = Browser::default().download(&app, &path).await;
    assert_eq!(status, 303, "signed out: to the sign-in page");
    assert_eq!(headers["location"], "/nl/sign-in");

    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let (status, headers, bytes) = sanne.download(&app, &path).await;
    assert_eq!(status, 303, "the password again first");
    assert_eq!(
        headers["location"],
        "/nl/account/confirm-identity?next=/nl/my-data/export"
    );
    assert!(bytes.is_empty() || !String::from_utf8_lossy(&bytes).contains("PK"));

    let confirmed = sanne
        .call(
            &app,
            "account/confirm_identity",
            &[
                ("lang", "nl"),
                ("password", PASSWORD),
                ("next", "/nl/my-data/export"),
            ],
            Via::Form,
            "/nl/account/confirm-identity",
        )
        .await;
    assert_eq!(confirmed.location.as_deref(), Some("/nl/my-data/export"));
    let (status, headers, bytes) = sanne.download(&app, &path).await;
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "no-store");
    assert!(bytes.starts_with(b"PK"), "a ZIP");

    let mut mark = signed_in_customer(&app, "mark@installatie.example").await;
    let (status, headers, bytes) = mark.download(&app, &path).await;
    assert_eq!(status, 404, "someone else's export does not exist for him");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(!bytes.starts_with(b"PK"));
    let (status, _, _) = sanne
        .download(&app, "/nl/my-data/export/..%2F..%2Fetc/download")
        .await;
    assert_eq!(status, 404, "an id is letters and digits");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_expires_after_its_keep_time_and_its_file_is_deleted_and_its_link_says_so() {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = calling(&stand_in).set("exports.keep", "1s").start().await;
    let mut sanne = signed_in_customer(&app, "sanne@bakkerij.example").await;
    assert_eq!(ask(&app, &mut sanne).await.0, 200);
    let export = wait_for(&app, &mut sanne, ready).await;
    let id = export["id"].as_str().expect("id");
    let file = app
        .outbox
        .parent()
        .expect("the test's folder")
        .join("exports")
        .join(format!("{id}.zip"));
    assert!(file.exists(), "written to the exports folder");

    let expired = wait_for(&app, &mut sanne, |e| e["status"] == "expired").await;
    assert_eq!(expired["id"], export["id"]);
    assert!(!file.exists(), "the file is deleted");
    let (status, _, body) = sanne
        .download(&app, &format!("/nl/my-data/export/{id}/download"))
        .await;
    assert_eq!(status, 410);
    assert!(String::from_utf8_lossy(&body).contains("Download verlopen"));
}
