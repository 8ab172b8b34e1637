//! Transactions, single-use links, the mail queue and TOTP steps, on both backends.

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::Arc;
use store::{
    Actor, NewAuditEvent, Store,
    account::NewAccount,
    outbox::NewMail,
    testing::TestDatabase,
    token::{NewEmailToken, TokenPurpose},
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("a time")
}

fn account(id: &str, email: &str) -> NewAccount {
    NewAccount {
        id: id.into(),
        email: email.into(),
        email_key: email.to_lowercase(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: "customer".into(),
        language: "nl".into(),
        email_confirmed_at: None,
        created_at: t0(),
    }
}

fn token(hash_char: char, account_id: &str, purpose: TokenPurpose) -> NewEmailToken {
    NewEmailToken {
        token_hash: hash_char.to_string().repeat(64),
        account_id: account_id.into(),
        purpose,
        new_email: (purpose == TokenPurpose::EmailChange).then(|| "nieuw@example.nl".into()),
        created_at: t0(),
        expires_at: t0() + Duration::hours(24),
    }
}

fn mail(subject: &str) -> NewMail {
    NewMail {
        recipient: "jan@example.nl".into(),
        subject: subject.into(),
        body_text: "tekst".into(),
        body_html: "<p>tekst</p>".into(),
        created_at: t0(),
    }
}

/// Writes an account with its audit row, token and mail in one transaction.
async fn register(store: &dyn Store, id: &str, email: &str, commit: bool) {
    let mut tx = store.begin().await.expect("begin");
    tx.create_account(&account(id, email))
        .await
        .expect("account");
    tx.record_audit(&NewAuditEvent {
        occurred_at: t0(),
        actor: Actor::Customer,
        action: "account.registered".into(),
        subject: Some(id.into()),
    })
    .await
    .expect("audit");
    tx.insert_email_token(&token('a', id, TokenPurpose::Confirm))
        .await
        .expect("token");
    tx.enqueue_mail(&mail("Bevestig")).await.expect("mail");
    if commit {
        tx.commit().await.expect("commit");
    }
}

async fn the_story(db: &TestDatabase) {
    let store: Arc<dyn Store> = store::connect(db.url()).await.expect("connect");

    // Rolled back: nothing of it remains.
    register(store.as_ref(), "acc_1", "jan@example.nl", false).await;
    assert!(store.account_by_id("acc_1").await.expect("read").is_none());
    assert!(store.recent_audit(10).await.expect("audit").is_empty());
    assert_eq!(store.mail_waiting().await.expect("count"), 0);

    // Committed: all of it.
    register(store.as_ref(), "acc_1", "jan@example.nl", true).await;
    assert!(store.account_by_id("acc_1").await.expect("read").is_some());
    assert_eq!(store.recent_audit(10).await.expect("audit").len(), 1);
    assert_eq!(store.mail_waiting().await.expect("count"), 1);

    // A link's token: valid until used, used once, refused after expiry and for other purposes.
    let hash = "a".repeat(64);
    let now = t0() + Duration::hours(1);
    assert!(
        store
            .valid_email_token(&hash, TokenPurpose::Reset, now)
            .await
            .expect("peek")
            .is_none(),
        "a confirm link is not a reset link"
    );
    let peeked = store
        .valid_email_token(&hash, TokenPurpose::Confirm, now)
        .await
        .expect("peek");
    assert_eq!(peeked.map(|t| t.account_id), Some("acc_1".to_owned()));
    let mut tx = store.begin().await.expect("begin");
    let first = tx
        .use_email_token(&hash, TokenPurpose::Confirm, now)
        .await
        .expect("use");
    let second = tx
        .use_email_token(&hash, TokenPurpose::Confirm, now)
        .await
        .expect("use again");
    assert!(tx.confirm_email("acc_1", now).await.expect("confirm"));
    assert!(!tx.confirm_email("acc_1", now).await.expect("confirm again"));
    tx.commit().await.expect("commit");
    assert_eq!(first.map(|t| t.account_id), Some("acc_1".to_owned()));
    assert!(second.is_none(), "a token is used once");

    let mut tx = store.begin().await.expect("begin");
    tx.insert_email_token(&token('b', "acc_1", TokenPurpose::EmailChange))
        .await
        .expect("token");
    tx.commit().await.expect("commit");
    let late = t0() + Duration::hours(24);
    let mut tx = store.begin().await.expect("begin");
    assert!(
        tx.use_email_token(&"b".repeat(64), TokenPurpose::EmailChange, late)
            .await
            .expect("use")
            .is_none(),
        "an expired token is refused"
    );
    let used = tx
        .use_email_token(&"b".repeat(64), TokenPurpose::EmailChange, now)
        .await
        .expect("use");
    assert_eq!(
        used.and_then(|t| t.new_email),
        Some("nieuw@example.nl".to_owned())
    );
    tx.commit().await.expect("commit");

    // The mail queue: claimed once per lease, retried after a failure, gone when sent.
    let lease = now + Duration::minutes(5);
    let claimed = store.claim_mail(now, lease, 10).await.expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].attempts, 1);
    assert!(
        store
            .claim_mail(now, lease, 10)
            .await
            .expect("claim")
            .is_empty(),
        "a claimed message is not claimed twice during its lease"
    );
    store
        .mail_failed(claimed[0].id, now + Duration::minutes(1))
        .await
        .expect("failed");
    assert!(
        store
            .claim_mail(now, lease, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let again = store
        .claim_mail(now + Duration::minutes(1), lease, 10)
        .await
        .expect("claim");
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    assert!(
        !format!("{:?}", again[0]).contains("jan@"),
        "Debug shows no recipient"
    );
    let after_lease = lease + Duration::seconds(1);
    let reclaimed = store
        .claim_mail(after_lease, after_lease + Duration::minutes(5), 10)
        .await
        .expect("claim");
    assert_eq!(reclaimed.len(), 1, "a crashed sender's lease runs out");
    store
        .mail_sent(reclaimed[0].id, chrono::Utc::now())
        .await
        .expect("sent");
    assert_eq!(store.mail_waiting().await.expect("count"), 0);

    // TOTP steps: each accepted once, never an older one.
    assert!(
        !store.record_totp_step("acc_1", 100).await.expect("step"),
        "no TOTP set up"
    );
    let mut tx = store.begin().await.expect("begin");
    tx.set_totp("acc_1", Some("JBSWY3DPEHPK3PXP"), Some(99))
        .await
        .expect("set");
    tx.commit().await.expect("commit");
    assert!(store.record_totp_step("acc_1", 100).await.expect("step"));
    assert!(!store.record_totp_step("acc_1", 100).await.expect("replay"));
    assert!(!store.record_totp_step("acc_1", 98).await.expect("older"));

    store.close().await;
}

#[tokio::test]
async fn units_of_work_commit_whole_tokens_are_single_use_and_mail_is_claimed_once_on_sqlite() {
    let db = TestDatabase::sqlite();
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn units_of_work_commit_whole_tokens_are_single_use_and_mail_is_claimed_once_on_postgresql() {
    let db = TestDatabase::postgres().await;
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}
