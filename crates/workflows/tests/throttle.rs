//! Sign-in throttling as two instances sharing one database see it, on both backends.

use chrono::{Duration, TimeZone, Utc};
use domain::{Clock, EmailAddress, ManualClock};
use std::{net::IpAddr, sync::Arc};
use store::{FailureKey, testing::TestDatabase};
use workflows::accounts::{SignInThrottle, Throttled, throttle::account_key};

fn email(text: &str) -> EmailAddress {
    EmailAddress::parse(text).expect("an address")
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("an address")
}

async fn the_story(db: &TestDatabase) {
    // Two instances: each its own connection pool to the same database.
    let (one, two) = (
        store::connect(db.url()).await.expect("instance one"),
        store::connect(db.url()).await.expect("instance two"),
    );
    let clock = ManualClock::at(
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .expect("t"),
    );
    let start = clock.now();
    let first = SignInThrottle::new(Arc::clone(&one), Arc::new(clock.clone()));
    let second = SignInThrottle::new(Arc::clone(&two), Arc::new(clock.clone()));
    let (alice, bob, carol) = (
        email("alice@example.nl"),
        email("bob@example.nl"),
        email("carol@example.nl"),
    );

    // Ten failures against Alice through instance one, a minute apart.
    for _ in 0..10 {
        assert_eq!(
            second.check(&alice, &ip("192.0.2.1")).await.expect("check"),
            Ok(())
        );
        first
            .failed(&alice, &ip("192.0.2.1"))
            .await
            .expect("record");
        clock.advance(Duration::minutes(1));
    }

    // The eleventh attempt is refused on instance two, with the time to retry.
    let refused = second
        .check(&alice, &ip("198.51.100.7"))
        .await
        .expect("check");
    assert_eq!(
        refused,
        Err(Throttled {
            retry_at: start + Duration::minutes(15)
        })
    );
    // Case does not make another account.
    let shouted = second
        .check(&email("ALICE@example.nl"), &ip("198.51.100.7"))
        .await;
    assert!(shouted.expect("check").is_err());

    // The client address that failed ten times is refused for other accounts too…
    assert!(
        second
            .check(&bob, &ip("192.0.2.1"))
            .await
            .expect("check")
            .is_err()
    );
    // …while Bob from elsewhere is not.
    assert_eq!(
        second
            .check(&bob, &ip("198.51.100.7"))
            .await
            .expect("check"),
        Ok(())
    );

    // When the oldest failure ages out, Alice may try again.
    clock.advance(Duration::minutes(5));
    assert_eq!(clock.now(), start + Duration::minutes(15));
    assert_eq!(
        second
            .check(&alice, &ip("198.51.100.7"))
            .await
            .expect("check"),
        Ok(())
    );

    // A success forgets the account's failures.
    for _ in 0..3 {
        first
            .failed(&carol, &ip("203.0.113.9"))
            .await
            .expect("record");
    }
    second.succeeded(&carol).await.expect("clear");
    let left = two
        .recent_sign_in_failures(FailureKey::Account(&account_key(&carol)), start, 100)
        .await
        .expect("read");
    assert!(left.is_empty());

    // Nothing is stored under the plain address.
    let plain = one
        .recent_sign_in_failures(
            FailureKey::Account("alice@example.nl"),
            start - Duration::days(1),
            100,
        )
        .await
        .expect("read");
    assert!(
        plain.is_empty(),
        "failures are keyed by a hash, not the address"
    );

    // Retention removes old failures.
    let removed = one
        .delete_sign_in_failures_before(start + Duration::minutes(12))
        .await
        .expect("purge");
    assert_eq!(removed, 10);

    one.close().await;
    two.close().await;
}

#[tokio::test]
async fn asvs_v6_3_1_the_eleventh_sign_in_attempt_is_refused_across_instances_on_sqlite() {
    let db = TestDatabase::sqlite();
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn asvs_v6_3_1_the_eleventh_sign_in_attempt_is_refused_across_instances_on_postgresql() {
    let db = TestDatabase::postgres().await;
    the_story(&db).await;
    db.remove().await.expect("cleanup");
}
