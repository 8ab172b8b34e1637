//! The storage story: the same assertions, run on SQLite and on PostgreSQL.

use chrono::{TimeZone, Utc};
use store::{Actor, Backend, NewAuditEvent, testing::TestDatabase};

async fn the_story(db: &TestDatabase, backend: Backend) {
    let store = store::connect(db.url())
        .await
        .expect("connect and migrate a fresh database");
    assert_eq!(store.backend(), backend);
    store.ping().await.expect("a migrated database answers");

    // Migrating again is a no-op, as at every later start-up.
    store.migrate().await.expect("migrations are idempotent");

    assert!(store.recent_audit(10).await.expect("read").is_empty());

    let at = Utc
        .with_ymd_and_hms(2026, 11, 24, 9, 30, 15)
        .single()
        .expect("a time");
    let first = store
        .record_audit(NewAuditEvent {
            occurred_at: at,
            actor: Actor::System,
            action: "schema.checked".into(),
            subject: None,
        })
        .await
        .expect("append");
    let second = store
        .record_audit(NewAuditEvent {
            occurred_at: at + chrono::Duration::milliseconds(1),
            actor: Actor::Staff,
            action: "request.assigned".into(),
            subject: Some("req_01".into()),
        })
        .await
        .expect("append");
    assert!(second.id > first.id, "ids grow");
    assert_eq!(first.occurred_at, at, "times round-trip exactly, in UTC");

    let recent = store.recent_audit(10).await.expect("read");
    assert_eq!(recent, vec![second.clone(), first], "newest first");
    assert_eq!(store.recent_audit(1).await.expect("read"), vec![second]);

    // The schema refuses what the code should never write.
    let refused = store
        .record_audit(NewAuditEvent {
            occurred_at: at,
            actor: Actor::System,
            action: String::new(),
            subject: None,
        })
        .await;
    assert!(
        refused.is_err(),
        "an empty action violates a CHECK constraint"
    );
    assert_eq!(
        store.recent_audit(10).await.expect("read").len(),
        2,
        "and changes nothing"
    );

    store.close().await;
    assert!(
        store.ping().await.is_err(),
        "a closed store answers no more"
    );
}

#[tokio::test]
async fn the_storage_story_holds_on_sqlite() {
    let db = TestDatabase::sqlite();
    the_story(&db, Backend::Sqlite).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn the_storage_story_holds_on_postgresql() {
    let db = TestDatabase::postgres().await;
    the_story(&db, Backend::Postgres).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test]
async fn a_database_changed_behind_the_migrations_back_is_refused_at_start_up() {
    let db = TestDatabase::sqlite();
    let store = store::connect(db.url()).await.expect("first start");
    store.close().await;

    // Someone edits an applied migration's record: sqlx sees a checksum mismatch.
    let raw = store::open(db.url()).await.expect("open");
    drop(raw);
    let pool = sqlx::SqlitePool::connect(db.url().expose())
        .await
        .expect("raw pool");
    sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00'")
        .execute(&pool)
        .await
        .expect("tamper");
    pool.close().await;

    let error = match store::connect(db.url()).await {
        Ok(_) => panic!("a tampered migration history must stop start-up"),
        Err(error) => error,
    };
    assert!(
        matches!(error, store::StoreError::Migration(_)),
        "a migration error, not {error:?}"
    );
    assert!(error.to_string().contains("migrat"), "{error}");
}
