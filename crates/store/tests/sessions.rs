//! The session story: the same assertions on SQLite and on PostgreSQL, with a manual clock.

use chrono::{Duration, TimeZone, Utc};
use domain::{Clock, ManualClock};
use std::{collections::HashMap, sync::Arc};
use store::{
    Store,
    session::{ACCOUNT_KEY, DEVICE_KEY, Sessions, hash_session_id},
    testing::TestDatabase,
};
use tower_sessions_core::{
    SessionStore,
    session::{Id, Record},
};

fn record(clock: &ManualClock, account: Option<&str>, device: &str, idle: Duration) -> Record {
    let mut data = HashMap::new();
    if let Some(account) = account {
        data.insert(ACCOUNT_KEY.to_owned(), account.into());
    }
    data.insert(DEVICE_KEY.to_owned(), device.into());
    data.insert("language".to_owned(), "nl".into());
    Record {
        id: Id::default(),
        data,
        expiry_date: at(clock.now() + idle),
    }
}

fn at(when: chrono::DateTime<Utc>) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(when.timestamp()).expect("in range")
}

async fn the_story(db: &TestDatabase) {
    let store: Arc<dyn Store> = store::connect(db.url()).await.expect("connect");
    let clock = ManualClock::at(
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .expect("t"),
    );
    let sessions = Sessions::new(
        Arc::clone(&store),
        Arc::new(clock.clone()),
        Duration::hours(12),
    );
    let idle = Duration::minutes(30);

    // A new session round-trips, and only the hash of its id is stored.
    let mut laptop = record(&clock, Some("acc_1"), "Firefox on Linux", idle);
    sessions.create(&mut laptop).await.expect("create");
    let loaded = sessions
        .load(&laptop.id)
        .await
        .expect("load")
        .expect("present");
    assert_eq!(loaded.data, laptop.data);
    assert_eq!(loaded.expiry_date, laptop.expiry_date);
    let row = store
        .load_session(&hash_session_id(&laptop.id))
        .await
        .expect("row")
        .expect("stored");
    assert_eq!(row.id_hash.len(), 64);
    assert!(
        !row.data.contains(&laptop.id.to_string()),
        "the id itself is nowhere in the row"
    );
    assert_eq!(
        store
            .load_session(&laptop.id.to_string())
            .await
            .expect("lookup"),
        None
    );

    // An id that collides with a stored one is replaced by a fresh one.
    let mut twin = record(&clock, None, "curl", idle);
    twin.id = laptop.id;
    sessions
        .create(&mut twin)
        .await
        .expect("create despite a collision");
    assert_ne!(twin.id, laptop.id);
    assert_eq!(
        sessions
            .load(&laptop.id)
            .await
            .expect("load")
            .map(|r| r.data),
        Some(laptop.data.clone())
    );

    // An account's sessions are listed with their devices, most recently used first.
    clock.advance(Duration::minutes(5));
    let mut phone = record(&clock, Some("acc_1"), "Safari on iPhone", idle);
    sessions.create(&mut phone).await.expect("create");
    let mut other = record(&clock, Some("acc_2"), "Edge on Windows", idle);
    sessions.create(&mut other).await.expect("create");
    let listed: Vec<Option<String>> = store
        .account_sessions("acc_1")
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.device)
        .collect();
    assert_eq!(
        listed,
        [
            Some("Safari on iPhone".into()),
            Some("Firefox on Linux".into())
        ]
    );

    // Saving renews use and expiry but keeps the creation time.
    clock.advance(Duration::minutes(10));
    laptop.expiry_date = at(clock.now() + idle);
    sessions.save(&laptop).await.expect("save");
    let saved = store
        .load_session(&hash_session_id(&laptop.id))
        .await
        .expect("row")
        .expect("there");
    assert_eq!(saved.created_at, row.created_at);
    assert_eq!(saved.last_seen_at, clock.now());

    // Idle: 31 minutes without use and the session is gone, from the database too.
    clock.advance(Duration::minutes(31));
    assert!(
        sessions.load(&phone.id).await.expect("load").is_none(),
        "idle session refused"
    );
    assert!(
        store
            .load_session(&hash_session_id(&phone.id))
            .await
            .expect("row")
            .is_none()
    );

    // Absolute: kept busy, a session still ends 12 hours after it began.
    let mut busy = record(&clock, Some("acc_3"), "Chromium", idle);
    sessions.create(&mut busy).await.expect("create");
    for _ in 0..28 {
        clock.advance(Duration::minutes(25));
        busy.expiry_date = at(clock.now() + idle);
        sessions.save(&busy).await.expect("save");
    }
    assert!(
        sessions.load(&busy.id).await.expect("load").is_some(),
        "11 h 40 min: still valid"
    );
    clock.advance(Duration::minutes(25));
    busy.expiry_date = at(clock.now() + idle);
    sessions.save(&busy).await.expect("save");
    assert!(
        sessions.load(&busy.id).await.expect("load").is_none(),
        "past 12 h: refused"
    );

    // Ending an account's other sessions keeps the current one; then all of them.
    let mut a = record(&clock, Some("acc_4"), "one", idle);
    let mut b = record(&clock, Some("acc_4"), "two", idle);
    let mut c = record(&clock, Some("acc_4"), "three", idle);
    for r in [&mut a, &mut b, &mut c] {
        sessions.create(r).await.expect("create");
    }
    let keep = hash_session_id(&a.id);
    assert_eq!(
        store
            .end_account_sessions("acc_4", Some(&keep))
            .await
            .expect("end others"),
        2
    );
    assert!(sessions.load(&a.id).await.expect("load").is_some());
    assert!(sessions.load(&b.id).await.expect("load").is_none());
    assert_eq!(
        store
            .end_account_sessions("acc_4", None)
            .await
            .expect("end all"),
        1
    );
    assert!(sessions.load(&a.id).await.expect("load").is_none());

    // Sign-out deletes server-side; expired rows can be swept.
    let mut last = record(&clock, Some("acc_5"), "x", idle);
    sessions.create(&mut last).await.expect("create");
    sessions.delete(&last.id).await.expect("delete");
    assert!(sessions.load(&last.id).await.expect("load").is_none());
    let mut stale = record(&clock, None, "y", Duration::minutes(1));
    sessions.create(&mut stale).await.expect("create");
    clock.advance(Duration::minutes(2));
    assert!(
        store
            .delete_expired_sessions(clock.now())
            .await
            .expect("sweep")
            >= 1
    );
    assert!(
        store
            .load_session(&hash_session_id(&stale.id))
            .await
            .expect("row")
            .is_none()
    );

    store.close().await;
}

#[tokio::test]
async fn sessions_are_stored_hashed_listed_per_account_and_expire_idle_and_absolute_on_sqlite() {
    let db = TestDatabase::sqlite();
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn sessions_are_stored_hashed_listed_per_account_and_expire_idle_and_absolute_on_postgresql()
{
    let db = TestDatabase::postgres().await;
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}
