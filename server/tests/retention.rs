//! The retention purge as admins see it: the scheduled runs and their counts per category.

mod common;

use common::{
    browser::{signed_in_admin, signed_in_customer},
    spawn,
};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn admins_see_each_scheduled_purge_with_its_counts_per_category_and_customers_do_not() {
    let app = spawn()
        .set("retention_schedule", "* * * * * *")
        .set("jobs.poll_interval", "100ms")
        .start()
        .await;
    let mut admin = signed_in_admin(&app, "beheer@voorbeeld.example").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let page = loop {
        let page = admin.get(&app, "/nl/admin/retention").await;
        assert_eq!(page.status, 200);
        if page.body.contains("id=\"retention-runs\"") {
            break page.body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "a run within 20 s:\n{}",
            page.body
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    for category in [
        "Aanmeldgeschiedenis: tijdstip, IP-adres, resultaat",
        "Verlopen sessies en e-maillinks",
        "Operator Online: verbruiksgegevens verwijderen (taak",
    ] {
        assert!(page.contains(category), "{category} in:\n{page}");
    }

    let mut customer = signed_in_customer(&app, "klant@voorbeeld.example").await;
    let refused = customer.get(&app, "/nl/admin/retention").await;
    assert!(!refused.body.contains("id=\"retention-runs\""));
    assert!(refused.body.contains("Alleen beheerders zien deze pagina."));
}
