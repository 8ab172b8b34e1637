//! Records, requests and Art. 19 notices on both backends: a notice is told when its mail is
//! handed to the mail server or its job is done, never before; a mail that can never be sent
//! tells nobody; each account sees only its own.

use chrono::{Duration, TimeZone, Utc};
use store::{
    job::NewJob,
    outbox::NewMail,
    profile::NewCorrection,
    records::{Channel, NewNotice, NewRightsRequest, NoticeCause, Page, QuoteRequestRow},
    testing::TestDatabase,
};

async fn the_story(db: &TestDatabase) {
    let store = store::connect(db.url()).await.expect("connect");
    let at = Utc
        .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("a time");
    let mut tx = store.begin().await.expect("begin");
    for (id, email) in [("acc_1", "sanne@example.nl"), ("acc_2", "mark@example.nl")] {
        tx.create_account(&store::testing::customer(id, email, at))
            .await
            .expect("account");
    }
    let quote = tx
        .insert_quote_request(&QuoteRequestRow {
            id: 0,
            account_id: "acc_1".into(),
            service: "Glasvezel".into(),
            details: "Winkel".into(),
            requested_at: at,
            supplier_name: Some("Glasvezel Partners".into()),
            supplier_email: Some("offertes@partners.example".into()),
            shared_at: Some(at),
        })
        .await
        .expect("quote");
    let correction = |field: &str| NewCorrection {
        account_id: "acc_1".into(),
        category: "account".into(),
        field: field.into(),
        actor: "customer".into(),
        corrected_at: at,
    };
    let phone = tx.record_correction(&correction("phone")).await.expect("c");
    let city = tx.record_correction(&correction("city")).await.expect("c");
    assert!(city > phone, "ids go up");
    let mail = |to: &str| NewMail {
        recipient: to.into(),
        subject: "Correctie".into(),
        body_text: "…".into(),
        body_html: "…".into(),
        created_at: at,
    };
    let to_supplier = tx
        .enqueue_mail(&mail("offertes@partners.example"))
        .await
        .expect("m");
    let unusable = tx.enqueue_mail(&mail("not an address")).await.expect("m");
    let job = tx
        .enqueue_job(&NewJob {
            kind: "provider.correct".into(),
            payload: "{}".into(),
            idempotency_key: "job-records-1".into(),
            account_id: Some("acc_1".into()),
            max_attempts: 3,
            created_at: at,
            not_before: at,
        })
        .await
        .expect("job");
    let request = tx
        .create_rights_request(&NewRightsRequest {
            account_id: "acc_1".into(),
            kind: "rectification".into(),
            status: "open".into(),
            category: Some("provider-porting".into()),
            details: "De datum klopt niet.".into(),
            received_at: at,
            closed_at: None,
        })
        .await
        .expect("request");
    let notices = [
        (
            NoticeCause::Correction(phone),
            "Glasvezel Partners",
            Channel::Mail(to_supplier),
        ),
        (
            NoticeCause::Correction(city),
            "Glasvezel Partners",
            Channel::Mail(to_supplier),
        ),
        (
            NoticeCause::Correction(city),
            "Somebody",
            Channel::Mail(unusable),
        ),
        (
            NoticeCause::Correction(phone),
            "Operator Online",
            Channel::Provider(job),
        ),
        (
            NoticeCause::Request(request),
            "Operator Online",
            Channel::Staff,
        ),
    ];
    for (cause, recipient, channel) in notices {
        tx.record_notice(&NewNotice {
            account_id: "acc_1".into(),
            cause,
            recipient: recipient.into(),
            channel,
            created_at: at,
        })
        .await
        .expect("notice");
    }
    tx.set_marketing_objection("acc_1", Some(at))
        .await
        .expect("objection");
    tx.commit().await.expect("commit");

    let told = |rows: &[store::records::NoticeRow]| {
        rows.iter()
            .map(|n| (n.recipient.clone(), n.channel.clone(), n.told_at.is_some()))
            .collect::<Vec<_>>()
    };
    let before = store.notices("acc_1").await.expect("read");
    assert!(
        before.iter().all(|n| n.told_at.is_none()),
        "nobody told yet"
    );
    assert_eq!(before[4].request_id, Some(request));

    let later = at + Duration::minutes(5);
    store.mail_sent(to_supplier, later).await.expect("sent");
    store.mail_dropped(unusable).await.expect("dropped");
    let after_mail = store.notices("acc_1").await.expect("read");
    assert_eq!(
        told(&after_mail),
        [
            ("Glasvezel Partners".into(), "mail".into(), true),
            ("Glasvezel Partners".into(), "mail".into(), true),
            ("Somebody".into(), "mail".into(), false),
            ("Operator Online".into(), "provider".into(), false),
            ("Operator Online".into(), "staff".into(), false),
        ]
    );
    assert_eq!(after_mail[0].told_at, Some(later));

    assert!(store.job_done(job, later).await.expect("done"));
    let after_job = store.notices("acc_1").await.expect("read");
    assert!(after_job[3].told_at.is_some(), "the provider confirmed");
    assert!(after_job[4].told_at.is_none(), "staff have not acted");

    assert_eq!(
        store
            .quote_requests("acc_1", Page::ALL)
            .await
            .expect("read")[0]
            .id,
        quote
    );
    assert_eq!(
        store
            .rights_requests("acc_1", Page::ALL)
            .await
            .expect("read")
            .len(),
        1
    );
    assert!(store.notices("acc_2").await.expect("read").is_empty());
    assert!(
        store
            .quote_requests("acc_2", Page::ALL)
            .await
            .expect("read")
            .is_empty()
    );
    assert!(
        store
            .rights_requests("acc_2", Page::ALL)
            .await
            .expect("read")
            .is_empty()
    );
    let sanne = store
        .account_by_id("acc_1")
        .await
        .expect("read")
        .expect("acc");
    assert_eq!(sanne.marketing_objection_at, Some(at));
    store.close().await;
}

#[tokio::test]
async fn recipients_are_told_when_their_mail_is_sent_or_their_job_is_done_and_not_before_on_sqlite()
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
async fn recipients_are_told_when_their_mail_is_sent_or_their_job_is_done_and_not_before_on_postgresql()
 {
    let db = TestDatabase::postgres().await;
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}
