//! "Verwijder mijn account" through the real portal: the erasure of one customer against the
//! stand-in provider, with a whole-database scan afterwards; the cool-off and calling it off by
//! signing in; the status page while the provider is down; and the bad inputs.

mod common;

use chrono::Utc;
use common::{
    TestApp,
    browser::{Browser, PASSWORD, Via, mail_to, sign_in},
    give_quote_request,
    process::{message_ids, release_leases, start_portal, workflows_for},
    signed_in_subscriber, store_and_account,
};
use provider::{ClientSettings, HttpProvider, Provider, model::SubscriberId};
use provider_sim::{
    Faults,
    testing::{StandIn, TEST_KEY},
};
use serde_json::Value;
use std::{collections::BTreeMap, time::Duration};
use store::{
    profile::{NewCorrection, ProfileRow},
    records::{Channel, ContactMessageRow, InvoiceRow, NewNotice, NewRightsRequest, NoticeCause},
    testing::TestDatabase,
    token::{NewEmailToken, TokenPurpose},
};
use workflows::jobs::{self, Job};

/// A customer with something of theirs in every table, here and at the stand-in.
struct Person {
    email: &'static str,
    name: &'static str,
    phone: &'static str,
    subscriber: &'static str,
    supplier: (&'static str, &'static str),
    invoice: &'static str,
}

const ANNA: Person = Person {
    email: "anna.verwijder@voorbeeld.example",
    name: "Anna Verwijderdijk",
    phone: "+31611112222",
    subscriber: "OO-100001",
    supplier: (
        "Glasvezel Partners B.V.",
        "offertes@glasvezelpartners.example",
    ),
    invoice: "F2026-000901",
};

const BRAM: Person = Person {
    email: "bram.blijft@voorbeeld.example",
    name: "Bram Blijfstra",
    phone: "+31633334444",
    subscriber: "OO-100002",
    supplier: (
        "Backup Specialisten B.V.",
        "sales@backupspecialisten.example",
    ),
    invoice: "F2026-000902",
};

/// Signs the person up and gives them data in every table: profile, contact message, quote
/// request (shared with a supplier), invoice, rights request, correction told to the supplier,
/// an unused link, a failed sign-in, a correction at the provider (a job), a cookie choice, and
/// an export.
async fn fill(app: &TestApp, person: &Person) -> Browser {
    let mut browser = signed_in_subscriber(app, person.email, person.subscriber).await;
    give_quote_request(app, person.email, person.supplier).await;
    let (store, account) = store_and_account(app, person.email).await;
    let now = Utc::now();
    let mut tx = store.begin().await.expect("begin");
    tx.save_profile(
        &ProfileRow {
            account_id: account.id.clone(),
            name: Some(person.name.into()),
            phone: Some(person.phone.into()),
            company: Some(format!("{} Holding", person.name)),
            job_title: None,
            street: Some("Voorbeeldstraat 1".into()),
            postcode: Some("1234 AB".into()),
            city: Some("Utrecht".into()),
            country: None,
            version: 1,
            updated_at: Some(now),
        },
        0,
        now,
    )
    .await
    .expect("profile");
    tx.insert_contact_message(&ContactMessageRow {
        id: 0,
        account_id: account.id.clone(),
        subject: "Terugbellen".into(),
        message: format!("Bel {} op {}", person.name, person.phone),
        received_at: now,
    })
    .await
    .expect("contact message");
    tx.insert_invoice(&InvoiceRow {
        id: 0,
        account_id: account.id.clone(),
        number: person.invoice.into(),
        description: "Zakelijk Internet, oktober 2026".into(),
        amount_cents: 8_950,
        issued_at: now,
    })
    .await
    .expect("invoice");
    tx.create_rights_request(&NewRightsRequest {
        account_id: account.id.clone(),
        kind: "objection".into(),
        status: "open".into(),
        category: None,
        details: format!("Ik, {}, maak bezwaar", person.name),
        received_at: now,
        closed_at: None,
    })
    .await
    .expect("request");
    let correction = tx
        .record_correction(&NewCorrection {
            account_id: account.id.clone(),
            category: "account".into(),
            field: "name".into(),
            actor: "customer".into(),
            corrected_at: now,
        })
        .await
        .expect("correction");
    tx.record_notice(&NewNotice {
        account_id: account.id.clone(),
        cause: NoticeCause::Correction(correction),
        recipient: person.supplier.0.into(),
        channel: Channel::Mail(0),
        created_at: now,
    })
    .await
    .expect("notice");
    tx.insert_email_token(&NewEmailToken {
        token_hash: format!("{:064x}", correction + person.invoice.len() as i64 * 1000),
        account_id: account.id.clone(),
        purpose: TokenPurpose::Reset,
        new_email: None,
        created_at: now,
        expires_at: now + chrono::Duration::minutes(30),
    })
    .await
    .expect("token");
    let subscriber = SubscriberId::parse(person.subscriber).expect("id");
    jobs::enqueue(
        tx.as_mut(),
        &Job::ProviderCorrect {
            subscriber,
            correction: provider::model::Correction {
                changes: vec![provider::model::FieldChange {
                    record_id: format!("{}-num-1", person.subscriber),
                    field: "holder_name".into(),
                    value: person.name.into(),
                }],
            },
        },
        Some(&account.id),
        now,
    )
    .await
    .expect("job");
    tx.commit().await.expect("commit");
    let email = domain::EmailAddress::parse(person.email).expect("address");
    store
        .record_sign_in_failure(
            &workflows::accounts::throttle::account_key(&email),
            &"0".repeat(64),
            now,
        )
        .await
        .expect("failure");
    store.close().await;

    let chosen = browser
        .call(
            app,
            "cookies/choose",
            &[("lang", "nl"), ("answer", "accept"), ("method", "banner")],
            Via::Script,
            "/nl",
        )
        .await;
    assert_eq!(chosen.status, 200, "a cookie choice: {}", chosen.body);
    let asked = browser
        .call(
            app,
            "my_data/export",
            &[("lang", "nl")],
            Via::Script,
            "/nl/my-data/export",
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    for _ in 0..300 {
        let view: Value =
            serde_json::from_str(&browser.get(app, "/api/my_data/exports?lang=nl").await.body)
                .expect("JSON");
        if view["exports"][0]["provider_state"] == "complete" {
            return browser;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the export was never built");
}

/// Rows per table that hold `needle` (case-insensitive).
fn rows_with(dump: &BTreeMap<String, Vec<String>>, needle: &str) -> BTreeMap<String, usize> {
    let needle = needle.to_lowercase();
    dump.iter()
        .map(|(table, rows)| {
            let n = rows
                .iter()
                .filter(|r| r.to_lowercase().contains(&needle))
                .count();
            (table.clone(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Asks for the deletion as the form does without JavaScript; the status page's path.
async fn delete(app: &TestApp, browser: &mut Browser, when: &str) -> String {
    let answer = browser
        .call(
            app,
            "my_data/delete_account",
            &[("lang", "nl"), ("confirm", "yes"), ("when", when)],
            Via::Form,
            "/nl/my-data/delete",
        )
        .await;
    let to = answer.location.expect("to the status page");
    let to = to.trim_start_matches(&app.address).to_owned();
    assert!(to.starts_with("/nl/account-deletion/"), "{to}");
    to
}

/// The status page's data, once `wanted` holds (within 30 s).
async fn status_until(app: &TestApp, page: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    let token = page.rsplit('/').next().expect("a token");
    let mut anyone = Browser::default();
    let mut last = Value::Null;
    for _ in 0..300 {
        let answer = anyone
            .get(app, &format!("/api/deletion_status?lang=nl&token={token}"))
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        last = serde_json::from_str(&answer.body).expect("JSON");
        if wanted(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the deletion never got there: {last}");
}

fn step<'a>(status: &'a Value, system: &str) -> &'a str {
    status["steps"]
        .as_array()
        .and_then(|steps| steps.iter().find(|s| s["system"] == system))
        .and_then(|s| s["state"].as_str())
        .unwrap_or("absent")
}

fn provider_client(stand_in: &StandIn) -> HttpProvider {
    HttpProvider::new(ClientSettings::new(
        stand_in.url().parse().expect("url"),
        TEST_KEY.to_owned().into(),
    ))
    .expect("client")
}

async fn records_at_provider(stand_in: &StandIn, subscriber: &str) -> usize {
    let data = provider_client(stand_in)
        .subscriber_data(&SubscriberId::parse(subscriber).expect("id"), None)
        .await;
    data.map(|d| d.records.len()).unwrap_or(0)
}

async fn erasing_one_customer_leaves_nothing_of_them_anywhere_and_the_other_unchanged(
    db: TestDatabase,
) {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = common::spawn()
        .on(db)
        .set("provider_api.base_url", stand_in.url())
        .set("provider_api.api_key", TEST_KEY)
        .set("jobs.poll_interval", "100ms")
        .set("jobs.operation_poll", "100ms")
        .start()
        .await;
    let mut anna = fill(&app, &ANNA).await;
    let _bram = fill(&app, &BRAM).await;
    let (store, anna_row) = store_and_account(&app, ANNA.email).await;
    let (_, bram_row) = store_and_account(&app, BRAM.email).await;
    let bram_at_provider = records_at_provider(&stand_in, BRAM.subscriber).await;
    assert!(records_at_provider(&stand_in, ANNA.subscriber).await > 0);

    let before = store::testing::dump(app.db.url()).await.expect("dump");
    for (person, id) in [(&ANNA, &anna_row.id), (&BRAM, &bram_row.id)] {
        let tables = rows_with(&before, id);
        for table in [
            "accounts",
            "profiles",
            "contact_messages",
            "quote_requests",
            "invoices",
            "rights_requests",
            "sessions",
            "corrections",
            "recipient_notices",
            "exports",
            "email_tokens",
            "jobs",
            "audit_events",
            "consent_records",
        ] {
            assert!(
                tables.contains_key(table),
                "{} has data in {table}",
                person.email
            );
        }
        let key = workflows::accounts::throttle::account_key(
            &domain::EmailAddress::parse(person.email).expect("address"),
        );
        assert!(rows_with(&before, &key).contains_key("sign_in_failures"));
    }

    let page = delete(&app, &mut anna, "now").await;
    let done = status_until(&app, &page, |s| s["complete"] == true).await;
    assert_eq!(done["phase"], "complete");
    for system in [
        "portal",
        "directory",
        "provider",
        "recipients",
        "confirmation",
    ] {
        assert_eq!(step(&done, system), "done", "{system}: {done}");
    }

    let after = store::testing::dump(app.db.url()).await.expect("dump");
    for needle in [anna_row.id.as_str(), ANNA.email, ANNA.name, ANNA.phone] {
        assert_eq!(
            rows_with(&after, needle),
            BTreeMap::new(),
            "nothing anywhere holds {needle}"
        );
    }
    let mut bram_before = rows_with(&before, &bram_row.id);
    let mut bram_after = rows_with(&after, &bram_row.id);
    // Mail leaves the outbox as it is sent: not the customer's data changing.
    bram_before.remove("mail_outbox");
    bram_after.remove("mail_outbox");
    assert_eq!(
        bram_after, bram_before,
        "the other customer's rows are all there"
    );
    for needle in [BRAM.email, BRAM.name, BRAM.phone] {
        assert!(!rows_with(&after, needle).is_empty(), "{needle} stays");
    }
    // The law keeps the invoice (Art. 17(3)(b)), no longer linked to anyone.
    assert_eq!(rows_with(&after, ANNA.invoice).get("invoices"), Some(&1));
    // Proof of consent is kept pseudonymised (the matrix's `on_erasure`): both choices remain,
    // only Bram's still linked to an account.
    assert_eq!(
        after["consent_records"].len(),
        before["consent_records"].len()
    );
    assert_eq!(after["consent_records"].len(), 2);
    assert_eq!(
        store.account_by_id(&anna_row.id).await.expect("read"),
        None,
        "the account is gone"
    );

    let erasure_keys: BTreeMap<String, i64> = stand_in
        .effects()
        .await
        .into_iter()
        .filter(|(key, _)| key.starts_with("erasure-"))
        .collect();
    assert_eq!(
        erasure_keys.len(),
        2,
        "one erase and one unlist: {erasure_keys:?}"
    );
    assert_eq!(
        erasure_keys
            .keys()
            .filter(|k| k.ends_with("-erase"))
            .count(),
        1
    );
    assert_eq!(
        erasure_keys
            .keys()
            .filter(|k| k.contains("-unlist-"))
            .count(),
        1
    );
    assert!(
        erasure_keys.values().all(|n| *n == 1),
        "each once: {erasure_keys:?}"
    );
    assert_eq!(records_at_provider(&stand_in, ANNA.subscriber).await, 0);
    assert_eq!(
        records_at_provider(&stand_in, BRAM.subscriber).await,
        bram_at_provider
    );

    let supplier = mail_to(&app.outbox, ANNA.supplier.1).await;
    let supplier = if supplier.subject.contains("wissing") {
        supplier
    } else {
        mail_to(&app.outbox, ANNA.supplier.1).await
    };
    assert!(
        supplier.subject.contains("Verzoek tot wissing"),
        "{}",
        supplier.subject
    );
    assert!(
        !supplier.text.contains(ANNA.name),
        "the supplier is not told whose"
    );
    // Mail still waiting for the address when the erasure ran was dropped with it; the
    // confirmation went (the status counts it), once.
    let confirmations = common::browser::mails_to(&app.outbox, ANNA.email)
        .into_iter()
        .filter(|m| m.subject == "Je account is verwijderd")
        .count();
    assert_eq!(confirmations, 1);
    store.close().await;
    app.db.remove().await.expect("cleanup");
}

#[tokio::test(flavor = "multi_thread")]
async fn erasing_one_customer_leaves_nothing_of_them_anywhere_and_the_other_unchanged_on_sqlite() {
    erasing_one_customer_leaves_nothing_of_them_anywhere_and_the_other_unchanged(
        TestDatabase::sqlite(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn erasing_one_customer_leaves_nothing_of_them_anywhere_and_the_other_unchanged_on_postgresql()
 {
    erasing_one_customer_leaves_nothing_of_them_anywhere_and_the_other_unchanged(
        TestDatabase::postgres().await,
    )
    .await;
}

async fn step_state(store: &dyn store::Store, erasure: &str, system: &str) -> String {
    store
        .erasure_steps(erasure)
        .await
        .expect("steps")
        .into_iter()
        .find(|s| s.system == system)
        .map(|s| s.state)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_erasure_killed_with_sigkill_after_each_step_completes_once_after_the_restarts() {
    let db = TestDatabase::sqlite();
    let dir = tempfile::tempdir().expect("a folder");
    // Every call takes a while, so a kill finds the next step under way.
    let stand_in = StandIn::start(Faults {
        latency_ms: 150,
        ..Faults::default()
    })
    .await;
    let store = store::connect(db.url()).await.expect("store");
    let now = Utc::now();
    let email = "kees.crash@voorbeeld.example";
    let mut tx = store.begin().await.expect("begin");
    tx.create_account(&store::testing::customer("crash-1", email, now))
        .await
        .expect("account");
    tx.link_provider_subscriber("crash-1", "OO-100001")
        .await
        .expect("linked");
    tx.insert_quote_request(&store::records::QuoteRequestRow {
        id: 0,
        account_id: "crash-1".into(),
        service: "Zakelijk glasvezel".into(),
        details: "Voor de winkel".into(),
        requested_at: now,
        supplier_name: Some(ANNA.supplier.0.into()),
        supplier_email: Some(ANNA.supplier.1.into()),
        shared_at: Some(now),
    })
    .await
    .expect("quote");
    tx.commit().await.expect("commit");
    let account = workflows::accounts::Account {
        id: domain::AccountId::from_stored("crash-1".into()),
        email: domain::EmailAddress::parse(email).expect("address"),
        role: domain::Role::Customer,
        language: domain::Lang::Nl,
        email_confirmed: true,
        totp_enabled: false,
        deactivated: false,
        created_at: now,
    };
    workflows_for(&db, &stand_in, &dir.path().join("exports"), &store)
        .erasures
        .request(&account, workflows::erasure::When::Now, domain::Lang::Nl)
        .await
        .expect("asked");
    let erasure = store
        .pending_erasure("crash-1")
        .await
        .expect("read")
        .expect("pending")
        .id;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    for (system, next) in [
        ("portal", "directory"),
        ("directory", "provider"),
        ("provider", "confirmation"),
    ] {
        let mut portal = start_portal(&db, &stand_in, dir.path());
        while step_state(store.as_ref(), &erasure, system).await != "done" {
            assert!(tokio::time::Instant::now() < deadline, "{system} got done");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        portal.kill().await.expect("SIGKILL");
        assert_ne!(
            step_state(store.as_ref(), &erasure, next).await,
            "done",
            "killed before {next} was done"
        );
        release_leases(&db).await;
    }
    let mut portal = start_portal(&db, &stand_in, dir.path());
    loop {
        let row = store.erasure(&erasure).await.expect("read").expect("kept");
        if row.status == "complete"
            && step_state(store.as_ref(), &erasure, "confirmation").await == "done"
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the erasure completes"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    portal.kill().await.expect("stopped");

    let effects: BTreeMap<String, i64> = stand_in
        .effects()
        .await
        .into_iter()
        .filter(|(key, _)| key.starts_with(&format!("erasure-{erasure}")))
        .collect();
    assert_eq!(effects.len(), 2, "one unlist and one erase: {effects:?}");
    assert!(
        effects.values().all(|n| *n == 1),
        "each applied once: {effects:?}"
    );
    assert_eq!(store.account_by_id("crash-1").await.expect("read"), None);
    assert!(
        store
            .jobs_with_status("dead", 10)
            .await
            .expect("read")
            .is_empty()
    );
    let mut supplier = message_ids(dir.path(), ANNA.supplier.1, "wissing");
    supplier.dedup();
    assert_eq!(supplier.len(), 1, "the supplier is told once");
    let confirmations = message_ids(dir.path(), email, "Je account is verwijderd");
    assert_eq!(confirmations.len(), 1, "one confirmation");
    store.close().await;
}

/// A portal whose step-up window is short, with a signed-in customer.
async fn short_step_up() -> (TestApp, Browser, std::sync::Arc<dyn store::Store>, String) {
    let app = common::spawn()
        .set("session.reauth_valid", "1s")
        .start()
        .await;
    let browser = common::browser::signed_in_customer(&app, "tess.twijfel@voorbeeld.example").await;
    let (store, account) = store_and_account(&app, "tess.twijfel@voorbeeld.example").await;
    (app, browser, store, account.id)
}

/// Nothing of a deletion: no erasure, the account active, no request filed.
async fn assert_nothing_changed(store: &dyn store::Store, account: &str) {
    assert!(
        store
            .pending_erasure(account)
            .await
            .expect("read")
            .is_none()
    );
    let row = store
        .account_by_id(account)
        .await
        .expect("read")
        .expect("the account");
    assert_eq!(row.deactivated_at, None);
    let requests = store
        .rights_requests(account, store::records::Page::ALL)
        .await
        .expect("read");
    assert!(requests.is_empty(), "no request filed");
}

async fn ask(
    app: &TestApp,
    browser: &mut Browser,
    fields: &[(&str, &str)],
) -> common::browser::Answer {
    let mut all = vec![("lang", "nl")];
    all.extend_from_slice(fields);
    browser
        .call(
            app,
            "my_data/delete_account",
            &all,
            Via::Script,
            "/nl/my-data/delete",
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_step_up_a_wrong_password_and_a_missing_confirmation_each_get_their_message_and_change_nothing()
 {
    let (app, mut tess, store, account) = short_step_up().await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let expired = ask(&app, &mut tess, &[("confirm", "yes"), ("when", "now")]).await;
    assert_eq!(expired.status, 403, "{}", expired.body);
    assert!(expired.body.contains("ReauthRequired"), "{}", expired.body);
    assert_nothing_changed(store.as_ref(), &account).await;

    let wrong = tess
        .call(
            &app,
            "account/confirm_identity",
            &[
                ("lang", "nl"),
                ("password", "Niet-Mijn-Wachtwoord-1"),
                ("next", "/nl/my-data/delete"),
            ],
            Via::Script,
            "/nl/account/confirm-identity",
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let still = ask(&app, &mut tess, &[("confirm", "yes"), ("when", "now")]).await;
    assert_eq!(still.status, 403, "a wrong password opens nothing");
    assert_nothing_changed(store.as_ref(), &account).await;

    let right = tess
        .call(
            &app,
            "account/confirm_identity",
            &[
                ("lang", "nl"),
                ("password", PASSWORD),
                ("next", "/nl/my-data/delete"),
            ],
            Via::Script,
            "/nl/account/confirm-identity",
        )
        .await;
    assert_eq!(right.status, 200, "{}", right.body);
    let unconfirmed = ask(&app, &mut tess, &[("when", "soon")]).await;
    assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.body);
    assert!(
        unconfirmed.body.contains("DeletionNotConfirmed"),
        "{}",
        unconfirmed.body
    );
    assert!(
        unconfirmed.body.contains("ChoiceInvalid"),
        "both fields at once: {}",
        unconfirmed.body
    );
    assert_nothing_changed(store.as_ref(), &account).await;

    // Without JavaScript the same comes back to the form, in the page's language.
    let form = tess
        .call(
            &app,
            "my_data/delete_account",
            &[("lang", "nl"), ("when", "later")],
            Via::Form,
            "/nl/my-data/delete",
        )
        .await;
    let back = form.location.expect("back to the form");
    let page = tess.get(&app, back.trim_start_matches(&app.address)).await;
    assert!(
        page.body
            .contains("Vink aan dat je je account en je gegevens wilt laten verwijderen."),
        "the field's message"
    );
    assert_nothing_changed(store.as_ref(), &account).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_deletion_while_one_is_pending_gets_a_clear_answer_and_changes_nothing() {
    let app = common::spawn().start().await;
    let mut here = common::browser::signed_in_customer(&app, "dubbel@voorbeeld.example").await;
    let mut there = Browser::default();
    sign_in(&app, &mut there, "dubbel@voorbeeld.example", PASSWORD).await;
    let (store, account) = store_and_account(&app, "dubbel@voorbeeld.example").await;

    // Both at once (a double click, two tabs): one deletion.
    let fields = [("confirm", "yes"), ("when", "later")];
    let (first, second) = tokio::join!(
        ask(&app, &mut here, &fields),
        ask(&app, &mut there, &fields)
    );
    let mut statuses = [first.status, second.status];
    statuses.sort_unstable();
    assert_eq!(
        statuses[0], 200,
        "one went through: {} / {}",
        first.body, second.body
    );
    assert!(
        matches!(statuses[1], 401 | 409),
        "the other is told the deletion is pending or the session has ended: {statuses:?}"
    );
    let erasure = store
        .pending_erasure(&account.id)
        .await
        .expect("read")
        .expect("one");
    let requests = store
        .rights_requests(&account.id, store::records::Page::ALL)
        .await
        .expect("read");
    assert_eq!(requests.len(), 1, "one erasure request");

    // And later, from any session: the account is deactivated, nothing more is filed.
    let again = ask(&app, &mut here, &fields).await;
    assert_eq!(again.status, 401, "{}", again.body);
    assert_eq!(
        store
            .pending_erasure(&account.id)
            .await
            .expect("read")
            .map(|e| e.id),
        Some(erasure.id)
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_during_the_cool_off_calls_the_deletion_off_and_after_it_the_account_is_erased()
{
    let stand_in = StandIn::start(Faults::default()).await;
    let app = common::spawn()
        .set("provider_api.base_url", stand_in.url())
        .set("provider_api.api_key", TEST_KEY)
        .set("jobs.poll_interval", "100ms")
        .set("jobs.operation_poll", "100ms")
        .set("erasure.cool_off", "2s")
        .start()
        .await;
    let mut jan = signed_in_subscriber(&app, "jan.bedenkt@voorbeeld.example", "OO-100002").await;
    let (store, account) = store_and_account(&app, "jan.bedenkt@voorbeeld.example").await;

    let page = delete(&app, &mut jan, "later").await;
    let scheduled = status_until(&app, &page, |s| s["phase"] == "scheduled").await;
    assert_eq!(step(&scheduled, "portal"), "waiting");
    assert_eq!(jan.me(&app).await, None, "signed out everywhere");
    let row = store
        .account_by_id(&account.id)
        .await
        .expect("read")
        .expect("kept for now");
    assert!(row.deactivated_at.is_some(), "deactivated at once");

    let mut again = Browser::default();
    let answer = again
        .call(
            &app,
            "account/sign_in",
            &[
                ("lang", "nl"),
                ("email", "jan.bedenkt@voorbeeld.example"),
                ("password", PASSWORD),
            ],
            Via::Form,
            "/nl/sign-in",
        )
        .await;
    assert_eq!(
        answer
            .location
            .as_deref()
            .map(|l| l.trim_start_matches(&app.address)),
        Some("/nl/account?notice=deletion-cancelled")
    );
    status_until(&app, &page, |s| s["phase"] == "cancelled").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let row = store
        .account_by_id(&account.id)
        .await
        .expect("read")
        .expect("the account stays");
    assert_eq!(row.deactivated_at, None);
    assert!(
        stand_in
            .effects()
            .await
            .keys()
            .all(|k| !k.starts_with("erasure-")),
        "nothing was erased at the provider"
    );

    // Asked again and left alone, the cool-off passes and the erasure runs by itself.
    let page = delete(&app, &mut again, "later").await;
    let done = status_until(&app, &page, |s| s["complete"] == true).await;
    assert_eq!(step(&done, "provider"), "done");
    assert_eq!(store.account_by_id(&account.id).await.expect("read"), None);
    store.close().await;
}

/// A customer with nothing at the provider and no supplier to tell: every step is quick.
async fn plain_customer(
    app: &TestApp,
    email: &str,
) -> (Browser, std::sync::Arc<dyn store::Store>, String) {
    let browser = common::browser::signed_in_customer(app, email).await;
    let (store, account) = store_and_account(app, email).await;
    (browser, store, account.id)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_immediate_deletion_offers_no_calling_off_and_signing_in_right_after_does_not_call_it_off()
 {
    // The job runner looks at the queue only at start: the erasure waits, as it would while
    // every instance is busy.
    let app = common::spawn()
        .set("jobs.poll_interval", "1h")
        .start()
        .await;
    let email = "ilse.direct@voorbeeld.example";
    let (mut ilse, store, account) = plain_customer(&app, email).await;

    let page = delete(&app, &mut ilse, "now").await;
    let status = status_until(&app, &page, |_| true).await;
    assert_eq!(status["phase"], "running", "{status}");
    let summary = status["summary"].as_str().unwrap_or_default();
    assert!(!summary.contains("Log voor die tijd in"), "{summary}");

    let mut again = Browser::default();
    let answer = again
        .call(
            &app,
            "account/sign_in",
            &[("lang", "nl"), ("email", email), ("password", PASSWORD)],
            Via::Script,
            "/nl/sign-in",
        )
        .await;
    assert_eq!(
        answer.status, 422,
        "refused like a wrong password: {}",
        answer.body
    );
    let erasure = store
        .pending_erasure(&account)
        .await
        .expect("read")
        .expect("still pending");
    assert_eq!(erasure.status, "scheduled", "not called off");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_immediate_deletion_ends_complete_and_mails_its_confirmation_to_the_deleted_address() {
    let app = common::spawn()
        .set("jobs.poll_interval", "100ms")
        .start()
        .await;
    let email = "joost.weg@voorbeeld.example";
    let (mut joost, store, account) = plain_customer(&app, email).await;
    // The mails of signing up and asking are not the confirmation.
    let page = delete(&app, &mut joost, "now").await;
    let scheduled = mail_to(&app.outbox, email).await;
    assert_eq!(scheduled.subject, "We verwijderen je account");

    let done = status_until(&app, &page, |s| s["complete"] == true).await;
    assert_eq!(done["phase"], "complete", "{done}");
    assert!(
        done["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("Je account en je gegevens zijn gewist op")),
        "{done}"
    );
    for system in [
        "portal",
        "directory",
        "provider",
        "recipients",
        "confirmation",
    ] {
        assert!(
            matches!(step(&done, system), "done" | "not-needed"),
            "{system}: {done}"
        );
    }
    assert_eq!(step(&done, "confirmation"), "done");
    let confirmation = mail_to(&app.outbox, email).await;
    assert_eq!(confirmation.subject, "Je account is verwijderd");
    assert_eq!(store.account_by_id(&account).await.expect("read"), None);
    store.close().await;
}
