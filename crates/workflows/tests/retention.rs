//! The retention matrix enforced, with a controlled clock, on both backends: every category of
//! the configured matrix is kept through its last day and gone the day after, a second purge
//! deletes nothing, a slot's purge runs once, and the provider's usage records go through the
//! adapter.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::{
    Authority, ClientFacts, Clock, EmailAddress, Localized, ManualClock, Organisation,
    ProviderFacts, RetentionRule,
};
use std::sync::Arc;
use store::{
    FailureKey, Store,
    consent::NewConsent,
    job::NewJob,
    records::{
        ContactMessageRow, InvoiceRow, NewRightsRequest, NewStaffAccess, Page, QuoteRequestRow,
    },
    session::SessionRow,
    testing::{TestDatabase, customer},
};
use workflows::retention::{EXPIRED, Retention};

/// The matrix as the portal ships it.
fn matrix() -> Vec<RetentionRule> {
    #[derive(serde::Deserialize)]
    struct Defaults {
        retention: Vec<RetentionRule>,
    }
    let defaults: Defaults =
        toml::from_str(include_str!("../../../server/config/defaults.toml")).expect("defaults");
    defaults.retention
}

fn facts() -> Arc<ClientFacts> {
    Arc::new(ClientFacts {
        organisation: Organisation {
            name: "Cloud4Companies".into(),
        },
        privacy_contact: EmailAddress::parse("privacy@example.nl").expect("an address"),
        authority: Authority {
            name: "Autoriteit Persoonsgegevens".into(),
            complaint_url: "https://autoriteitpersoonsgegevens.nl"
                .parse()
                .expect("url"),
        },
        provider: ProviderFacts {
            display_name: "Operator Online".into(),
            identity: Localized::new("Operator Online", "Operator Online"),
        },
        sub_processors: Vec::new(),
        retention: matrix(),
        catalogue: Vec::new(),
        automated_decisions: Localized::new("Geen", "None"),
        time_zone: chrono_tz::Europe::Amsterdam,
    })
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("a time")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// The days on which something goes.
const DAYS: usize = 5;

/// Everything is recorded on 31 January 2025 at 10:00 UTC.
const RECORDED: (i32, u32, u32) = (2025, 1, 31);

struct Held {
    account: String,
    unconfirmed: String,
    job: i64,
    failure_key: String,
    request: i64,
    session: String,
}

async fn hold_one_of_everything(store: &Arc<dyn Store>, now: DateTime<Utc>) -> Held {
    let held = Held {
        account: "acc_kept".into(),
        unconfirmed: "acc_unconfirmed".into(),
        job: 0,
        failure_key: "a".repeat(64),
        request: 0,
        session: "b".repeat(64),
    };
    let mut tx = store.begin().await.expect("begin");
    tx.create_account(&customer(&held.account, "kept@example.nl", now))
        .await
        .expect("account");
    let mut unconfirmed = customer(&held.unconfirmed, "never@example.nl", now);
    unconfirmed.email_confirmed_at = None;
    tx.create_account(&unconfirmed).await.expect("account");
    tx.insert_contact_message(&ContactMessageRow {
        id: 0,
        account_id: held.account.clone(),
        subject: "Vraag".into(),
        message: "Over mijn factuur".into(),
        received_at: now,
    })
    .await
    .expect("contact");
    tx.insert_quote_request(&QuoteRequestRow {
        id: 0,
        account_id: held.account.clone(),
        service: "Glasvezel".into(),
        details: "Voor de winkel".into(),
        requested_at: now,
        supplier_name: None,
        supplier_email: None,
        shared_at: None,
    })
    .await
    .expect("quote");
    tx.insert_invoice(&InvoiceRow {
        id: 0,
        account_id: held.account.clone(),
        number: "F2025-000001".into(),
        description: "Zakelijk Mobiel".into(),
        amount_cents: 4_500,
        issued_at: now,
    })
    .await
    .expect("invoice");
    let request = tx
        .create_rights_request(&NewRightsRequest {
            account_id: held.account.clone(),
            kind: "question".into(),
            status: "closed".into(),
            category: None,
            details: "Welke gegevens?".into(),
            received_at: now,
            closed_at: Some(now),
        })
        .await
        .expect("request");
    let job = tx
        .enqueue_job(&NewJob {
            kind: "export.expire".into(),
            payload: "{\"export\":\"e1\"}".into(),
            idempotency_key: "job-retention-test".into(),
            account_id: Some(held.account.clone()),
            max_attempts: 3,
            created_at: now,
            not_before: now,
        })
        .await
        .expect("job");
    tx.commit().await.expect("commit");
    assert!(store.job_done(job, now).await.expect("done"));
    store
        .record_sign_in_failure(&held.failure_key, &"c".repeat(64), now)
        .await
        .expect("failure");
    store
        .record_consent(&NewConsent {
            consent_id: "consent-1".into(),
            account_id: Some(held.account.clone()),
            functional: true,
            analytical: false,
            commercial: false,
            statement_version: "2026-11".into(),
            method: "banner".into(),
            gpc: false,
            recorded_at: now,
        })
        .await
        .expect("consent");
    store
        .record_staff_access(&NewStaffAccess {
            account_id: held.account.clone(),
            staff_id: held.account.clone(),
            staff_email: "support@example.nl".into(),
            staff_role: "support".into(),
            purpose: format!("request:{request}"),
            accessed_at: now,
        })
        .await
        .expect("access");
    store
        .insert_session(&SessionRow {
            id_hash: held.session.clone(),
            account_id: Some(held.account.clone()),
            device: None,
            data: "{}".into(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + chrono::Duration::minutes(30),
        })
        .await
        .expect("session");
    Held {
        job,
        request,
        ..held
    }
}

/// Which of the held items are still there, by the matrix's category.
async fn still_held(store: &Arc<dyn Store>, held: &Held) -> Vec<&'static str> {
    let account = held.account.as_str();
    let mut present = Vec::new();
    let checks = [
        (
            "unconfirmed-registrations",
            store
                .account_by_id(&held.unconfirmed)
                .await
                .expect("read")
                .is_some(),
        ),
        (
            "technical-logs",
            store.job(held.job).await.expect("read").is_some(),
        ),
        (
            "failed-sign-ins",
            !store
                .recent_sign_in_failures(
                    FailureKey::Account(&held.failure_key),
                    at(2000, 1, 1, 0, 0),
                    10,
                )
                .await
                .expect("read")
                .is_empty(),
        ),
        (
            "contact-messages",
            !store
                .contact_messages(account, Page::ALL)
                .await
                .expect("read")
                .is_empty(),
        ),
        (
            "quote-requests",
            !store
                .quote_requests(account, Page::ALL)
                .await
                .expect("read")
                .is_empty(),
        ),
        (
            "consent-records",
            !store
                .consent_records(account, Page::ALL)
                .await
                .expect("read")
                .is_empty(),
        ),
        (
            "rights-requests",
            store
                .rights_request(held.request)
                .await
                .expect("read")
                .is_some(),
        ),
        (
            "staff-access",
            !store
                .staff_accesses(account, Page::ALL)
                .await
                .expect("read")
                .is_empty(),
        ),
        (
            "invoices",
            !store
                .invoices(account, Page::ALL)
                .await
                .expect("read")
                .is_empty(),
        ),
        (
            "session",
            store
                .load_session(&held.session)
                .await
                .expect("read")
                .is_some(),
        ),
    ];
    for (name, there) in checks {
        if there {
            present.push(name);
        }
    }
    present
}

async fn the_story(db: &TestDatabase) {
    let store = store::connect(db.url()).await.expect("store");
    let (y, m, d) = RECORDED;
    let clock = ManualClock::at(at(y, m, d, 10, 0));
    let held = hold_one_of_everything(&store, clock.now()).await;
    let retention = Retention::new(Arc::clone(&store), Arc::new(clock.clone()), facts());
    let everything = [
        "unconfirmed-registrations",
        "technical-logs",
        "failed-sign-ins",
        "contact-messages",
        "quote-requests",
        "consent-records",
        "rights-requests",
        "staff-access",
        "invoices",
        "session",
    ];
    assert_eq!(still_held(&store, &held).await, everything);

    // The day each goes, counted by hand from the configured matrix and the recording day.
    let goes: [(NaiveDate, &[&str]); DAYS] = [
        // 7 days after it was recorded: kept through 7 February.
        (day(2025, 2, 8), &["unconfirmed-registrations"]),
        // Technical logs (failed sign-ins, finished jobs): 14 days.
        (day(2025, 2, 15), &["technical-logs", "failed-sign-ins"]),
        // 12 calendar months: kept through 31 January 2026.
        (
            day(2026, 2, 1),
            &["contact-messages", "quote-requests", "consent-records"],
        ),
        // 2 years after the request was closed; the staff access goes with the requests' rule.
        (day(2027, 2, 1), &["rights-requests", "staff-access"]),
        // 7 years after the end of fiscal year 2025: kept through 31 December 2032.
        (day(2033, 1, 1), &["invoices"]),
    ];
    let mut expected: Vec<&str> = everything.to_vec();
    let mut slot = 0;
    let mut purge_at = |when: DateTime<Utc>| {
        clock.advance(when - clock.now());
        slot += 1;
        let retention = retention.clone();
        async move {
            retention
                .purge(&format!("slot-{slot}"))
                .await
                .expect("purged")
                .expect("a fresh slot runs")
        }
    };

    // The first purge, the same day: only the expired session goes.
    let first = purge_at(at(y, m, d, 23, 0)).await;
    expected.retain(|c| *c != "session");
    assert_eq!(still_held(&store, &held).await, expected);
    assert_eq!(first.counts[EXPIRED], 1);

    for (gone_on, categories) in goes {
        let eve = gone_on.pred_opt().expect("a day");
        // The last day, just before midnight: all still there.
        let before = purge_at(eve.and_hms_opt(23, 59, 0).expect("t").and_utc()).await;
        assert_eq!(
            still_held(&store, &held).await,
            expected,
            "on {eve}, nothing of {categories:?} is gone yet"
        );
        assert!(
            before.counts.values().all(|n| *n == 0),
            "on {eve} nothing was deleted: {before:?}"
        );
        // The next day, just after midnight: gone.
        let after = purge_at(gone_on.and_hms_opt(0, 1, 0).expect("t").and_utc()).await;
        expected.retain(|c| !categories.contains(c));
        assert_eq!(
            still_held(&store, &held).await,
            expected,
            "on {gone_on}, {categories:?} are gone"
        );
        let rules = categories.iter().filter(|c| after.counts.contains_key(**c));
        for category in rules {
            // The requests' rule counts the request and the staff access to its data; the
            // technical logs' the failed sign-in and the finished job.
            let deleted = match *category {
                "rights-requests" | "technical-logs" => 2,
                _ => 1,
            };
            assert_eq!(
                after.counts[*category], deleted,
                "{category} on {gone_on}: {after:?}"
            );
        }
        // Purging again the same day changes nothing.
        let again = purge_at(gone_on.and_hms_opt(0, 2, 0).expect("t").and_utc()).await;
        assert!(again.counts.values().all(|n| *n == 0), "{again:?}");
        assert_eq!(still_held(&store, &held).await, expected);
    }
    assert!(expected.is_empty());

    // A slot's purge runs once; every run is recorded with its counts and nothing else.
    assert_eq!(retention.purge("slot-1").await.expect("read"), None);
    let runs = retention.runs(100).await.expect("runs");
    assert_eq!(runs.len(), 1 + 3 * DAYS);
    assert!(runs.iter().all(|run| run.finished_at.is_some()));
    // The provider's usage records were asked for in every run, by a job.
    assert!(runs.iter().all(|run| run.purged.provider_job.is_some()));
    store.close().await;
}

#[tokio::test]
async fn each_category_goes_the_day_after_its_last_day_and_a_second_purge_changes_nothing_on_sqlite()
 {
    let db = TestDatabase::sqlite();
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn each_category_goes_the_day_after_its_last_day_and_a_second_purge_changes_nothing_on_postgresql()
 {
    let db = TestDatabase::postgres().await;
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}

/// The usage months the stand-in still holds for Sanne (`OO-100001`).
async fn usage_months(provider: &dyn provider::Provider) -> Vec<String> {
    let subscriber = provider::model::SubscriberId::parse("OO-100001").expect("an id");
    let (mut months, mut page) = (Vec::new(), None);
    loop {
        let data = provider
            .subscriber_data(&subscriber, page.as_deref())
            .await
            .expect("data");
        months.extend(
            data.records
                .into_iter()
                .filter(|r| r.kind == provider::model::RecordKind::Usage)
                .filter_map(|mut r| r.fields.remove("month")),
        );
        match data.next_page {
            Some(next) => page = Some(next),
            None => break,
        }
    }
    months.sort();
    months
}

#[tokio::test]
async fn the_providers_usage_records_of_a_month_go_through_the_adapter_six_months_after_it_ends() {
    use chrono::Datelike;
    let stand_in = provider_sim::testing::StandIn::start(provider_sim::Faults::default()).await;
    let mut settings = provider::ClientSettings::new(
        stand_in.url().parse().expect("url"),
        provider_sim::testing::TEST_KEY.to_owned().into(),
    );
    settings.attempt_timeout = std::time::Duration::from_secs(2);
    let client: Arc<dyn provider::Provider> =
        Arc::new(provider::HttpProvider::new(settings).expect("a client"));
    let db = TestDatabase::sqlite();
    let store = store::connect(db.url()).await.expect("store");
    // The stand-in holds last month's and this month's usage.
    let this_month = Utc::now().date_naive();
    let first_of_last = (this_month - chrono::Months::new(1))
        .with_day(1)
        .expect("a day");
    let months = [first_of_last, this_month].map(|d| d.format("%Y-%m").to_string());
    assert_eq!(usage_months(client.as_ref()).await, months);

    // Last month's last day; six calendar months later is the last day its usage is kept.
    let last_day = this_month
        .with_day(1)
        .expect("a day")
        .pred_opt()
        .expect("a day");
    let kept_through = last_day + chrono::Months::new(6);
    let clock = ManualClock::at(kept_through.and_hms_opt(22, 0, 0).expect("t").and_utc());
    let retention = Retention::new(Arc::clone(&store), Arc::new(clock.clone()), facts());
    let runner = workflows::jobs::JobRunner::new(
        Arc::clone(&store),
        Arc::clone(&client),
        Arc::new(clock.clone()),
        workflows::jobs::JobSettings::default(),
    )
    .with_retention(retention.clone());
    retention.purge("the last day").await.expect("purged");
    assert_eq!(runner.drain().await.expect("drained").done, 1);
    assert_eq!(usage_months(client.as_ref()).await, months);

    clock.advance(chrono::Duration::hours(3));
    // Queued the way the schedule queues it: the purge itself runs as a job.
    let job = workflows::jobs::Job::scheduled_purge("the day after", clock.now()).expect("a job");
    assert!(store.enqueue_job_once(&job).await.expect("queued"));
    assert!(
        !store.enqueue_job_once(&job).await.expect("read"),
        "once per slot"
    );
    let drained = runner.drain().await.expect("drained");
    assert_eq!(
        drained.done, 2,
        "the purge and the provider's part: {drained:?}"
    );
    assert_eq!(usage_months(client.as_ref()).await, months[1..]);
    store.close().await;
    db.remove().await.expect("cleanup");
}
