//! What the holder asks of the provider, over HTTP as a browser without JavaScript sends it:
//! pending with its last attempt while the provider is down (never an error page, never
//! "done"), carried out once when it is back.

mod common;

use common::{
    browser::{Browser, Via, signed_in_customer},
    link_subscriber, spawn_beside as portal_beside,
};
use provider_sim::{Faults, testing::StandIn};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn a_directory_unlisting_asked_while_the_provider_is_down_stays_pending_with_its_last_attempt_and_is_done_once_when_it_is_back()
 {
    let stand_in = StandIn::start(Faults {
        down: true,
        ..Faults::default()
    })
    .await;
    let app = portal_beside(&stand_in).await;
    let email = "sanne@bakkerij.example";
    let mut browser = signed_in_customer(&app, email).await;
    link_subscriber(&app, email, "OO-100001").await;

    let page = browser.get(&app, "/nl/account/provider").await;
    assert!(
        page.body.contains("Je hebt nog niets gevraagd."),
        "{}",
        page.body
    );
    let answer = browser
        .call(
            &app,
            "provider/unlist",
            &[("lang", "nl")],
            Via::Form,
            "/nl/account/provider",
        )
        .await;
    assert_eq!(
        answer.location.as_deref(),
        Some("/nl/account/provider?notice=unlist-requested")
    );
    // Asking again while it is pending adds nothing.
    browser
        .call(
            &app,
            "provider/unlist",
            &[("lang", "nl")],
            Via::Form,
            "/nl/account/provider",
        )
        .await;

    let pending = browser
        .reload_until(
            &app,
            "/nl/account/provider",
            &["data-state=\"pending\"", "laatste poging"],
        )
        .await;
    assert_eq!(pending.matches("data-state=").count(), 1, "one request");
    assert!(
        !pending.contains("Uitgevoerd"),
        "never done before the provider said so"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    browser
        .reload_until(
            &app,
            "/nl/account/provider",
            &["data-state=\"pending\"", "Operator Online"],
        )
        .await;
    assert!(
        stand_in.effects().await.is_empty(),
        "nothing happened at the provider yet"
    );

    stand_in.set_faults(&Faults::default()).await;
    let done = browser
        .reload_until(
            &app,
            "/nl/account/provider",
            &["data-state=\"done\"", "Uitgevoerd door Operator Online"],
        )
        .await;
    assert_eq!(done.matches("data-state=").count(), 1);
    let effects = stand_in.effects().await;
    assert_eq!(effects.len(), 1, "one number unlisted: {effects:?}");
    assert!(effects.values().all(|n| *n == 1), "once");
}

#[tokio::test]
async fn a_customer_the_provider_does_not_know_is_told_so_and_cannot_ask_it_anything() {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut browser = signed_in_customer(&app, "kees@example.nl").await;
    let page = browser.get(&app, "/en/account/provider").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Our provider holds no data of this account.")
    );
    assert!(!page.body.contains("Remove my numbers"));
    let answer = browser
        .call(
            &app,
            "provider/unlist",
            &[("lang", "en")],
            Via::Script,
            "/en/account/provider",
        )
        .await;
    assert_eq!(answer.status, 403);
    let store = store::connect(app.db.url()).await.expect("store");
    assert!(
        store
            .jobs_with_status("queued", 10)
            .await
            .expect("read")
            .is_empty(),
        "nothing was queued"
    );
    store.close().await;
}

#[tokio::test]
async fn the_provider_page_needs_a_signed_in_account() {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut browser = Browser::default();
    let answer = browser
        .call(
            &app,
            "provider/unlist",
            &[("lang", "nl")],
            Via::Script,
            "/nl/account/provider",
        )
        .await;
    assert_eq!(answer.status, 401);
}
