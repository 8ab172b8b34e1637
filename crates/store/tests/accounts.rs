//! The accounts story on both backends: one account per address whatever its case.

use chrono::{TimeZone, Utc};
use store::{StoreError, account::NewAccount, testing::TestDatabase};

fn account(id: &str, email: &str, role: &str) -> NewAccount {
    NewAccount {
        id: id.into(),
        email: email.into(),
        email_key: email.to_lowercase(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: role.into(),
        language: "nl".into(),
        email_confirmed_at: None,
        created_at: Utc
            .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .expect("t"),
    }
}

/// Adds an account in a transaction of its own.
async fn create(store: &dyn store::Store, account: &NewAccount) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    tx.create_account(account).await?;
    tx.commit().await
}

async fn the_story(db: &TestDatabase) {
    let store = store::connect(db.url()).await.expect("connect");
    create(
        store.as_ref(),
        &account("acc_1", "Jan@Example.nl", "support"),
    )
    .await
    .expect("create");

    let found = store
        .account_by_email_key("jan@example.nl")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(
        (found.id.as_str(), found.email.as_str(), found.role.as_str()),
        ("acc_1", "Jan@Example.nl", "support")
    );
    assert_eq!(found.created_at, account("x", "x@x.nl", "admin").created_at);
    assert!(
        !format!("{found:?}").contains("Example.nl"),
        "Debug shows no address"
    );
    assert!(
        store
            .account_by_email_key("piet@example.nl")
            .await
            .expect("read")
            .is_none()
    );

    let duplicate = create(
        store.as_ref(),
        &account("acc_2", "JAN@example.NL", "customer"),
    )
    .await;
    assert!(
        matches!(duplicate, Err(StoreError::Duplicate { .. })),
        "{duplicate:?}"
    );

    let bad_role = create(store.as_ref(), &account("acc_3", "piet@example.nl", "root")).await;
    assert!(bad_role.is_err(), "the schema knows the roles");
    assert!(
        store
            .account_by_email_key("piet@example.nl")
            .await
            .expect("read")
            .is_none()
    );

    // An account holder can be one subscriber at the provider, and a subscriber one account.
    assert_eq!(found.provider_subscriber, None);
    let mut tx = store.begin().await.expect("begin");
    tx.link_provider_subscriber("acc_1", "OO-100001")
        .await
        .expect("linked");
    tx.commit().await.expect("commit");
    create(
        store.as_ref(),
        &account("acc_4", "kees@example.nl", "customer"),
    )
    .await
    .expect("create");
    let mut tx = store.begin().await.expect("begin");
    let taken = tx.link_provider_subscriber("acc_4", "OO-100001").await;
    assert!(
        matches!(taken, Err(StoreError::Duplicate { .. })),
        "{taken:?}"
    );
    drop(tx);
    let linked = store
        .account_by_id("acc_1")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(linked.provider_subscriber.as_deref(), Some("OO-100001"));
    store.close().await;
}

#[tokio::test]
async fn one_account_per_address_whatever_its_case_and_one_per_provider_subscriber_on_sqlite() {
    let db = TestDatabase::sqlite();
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn one_account_per_address_whatever_its_case_and_one_per_provider_subscriber_on_postgresql() {
    let db = TestDatabase::postgres().await;
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}
