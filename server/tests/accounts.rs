//! Accounts over HTTP, as browsers and other instances see them: sign-in renews the session id,
//! sign-out and password changes make old cookies worthless, failures are throttled across
//! instances, unknown addresses cannot be told from known ones, and pages leak nothing.

mod common;

use common::{
    TestApp,
    browser::{Browser, PASSWORD, Via, mail_to, sign_in, signed_in_customer},
    select, spawn, spawn_app,
};
use store::testing::TestDatabase;

#[tokio::test]
async fn register_confirm_from_the_outbox_sign_in_and_sign_out() {
    let app = spawn_app().await;
    let mut browser = signed_in_customer(&app, "jan@example.nl").await;
    let answer = browser
        .call(
            &app,
            "account/sign_out",
            &[("lang", "nl")],
            Via::Form,
            "/nl/account",
        )
        .await;
    assert_eq!(answer.status, 302);
    assert_eq!(
        answer.location.as_deref(),
        Some("/nl/sign-in?notice=signed-out")
    );
    assert_eq!(browser.cookie, None, "the cookie is removed");
    assert_eq!(browser.me(&app).await, None);
}

#[tokio::test]
async fn asvs_v7_2_4_the_session_id_changes_at_sign_in_and_the_old_one_is_refused() {
    let app = spawn_app().await;
    let mut browser = signed_in_customer(&app, "jan@example.nl").await;
    let before = browser.cookie.clone().expect("a session");

    sign_in(&app, &mut browser, "jan@example.nl", PASSWORD).await;
    let after = browser.cookie.clone().expect("a session");
    assert_ne!(before, after, "signing in gives a new session id");

    let mut old = Browser {
        cookie: Some(before),
        ..Browser::default()
    };
    assert_eq!(old.me(&app).await, None, "the old id is refused");
}

#[tokio::test]
async fn asvs_v7_4_1_a_cookie_replayed_after_sign_out_is_refused() {
    let app = spawn_app().await;
    let mut browser = signed_in_customer(&app, "jan@example.nl").await;
    let copy = browser.clone();
    browser
        .call(
            &app,
            "account/sign_out",
            &[("lang", "nl")],
            Via::Script,
            "/nl/account",
        )
        .await;
    let mut replay = copy;
    assert_eq!(replay.me(&app).await, None);
    let page = replay.get(&app, "/nl/account").await;
    assert_eq!(
        page.status, 302,
        "the account page sends a signed-out visitor to sign in"
    );
    assert_eq!(page.location.as_deref(), Some("/nl/sign-in"));
}

#[tokio::test]
async fn asvs_v7_4_3_cookies_replayed_after_a_password_change_are_refused() {
    let app = spawn_app().await;
    let mut here = signed_in_customer(&app, "jan@example.nl").await;
    let mut elsewhere = Browser::default();
    sign_in(&app, &mut elsewhere, "jan@example.nl", PASSWORD).await;
    let old_here = here.clone();

    let answer = here
        .call(
            &app,
            "account/change_password",
            &[
                ("lang", "nl"),
                ("current", PASSWORD),
                ("password", "Nieuwe-Regenjas-Tuinpad-88"),
            ],
            Via::Script,
            "/nl/account",
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        here.me(&app).await.as_deref(),
        Some("jan@example.nl"),
        "this device stays in"
    );
    assert_eq!(elsewhere.me(&app).await, None, "the other device is out");
    let mut replay = old_here;
    assert_eq!(
        replay.me(&app).await,
        None,
        "this device's old id is refused too"
    );
}

#[tokio::test]
async fn asvs_v6_3_8_unknown_and_known_addresses_get_identical_answers() {
    let app = spawn_app().await;
    signed_in_customer(&app, "jan@example.nl").await;
    let ask = |endpoint: &'static str, fields: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let answer = Browser::default()
                .call(app, endpoint, &fields, Via::Script, "/nl/sign-in")
                .await;
            (answer.status, answer.location, answer.body)
        }
    };
    for address in ["jan@example.nl", "nobody@example.nl"] {
        let pair = [
            ask(
                "account/sign_in",
                vec![
                    ("lang", "nl".into()),
                    ("email", address.into()),
                    ("password", "Verkeerd-Maar-Lang-Genoeg".into()),
                ],
            )
            .await,
            ask(
                "account/forgot_password",
                vec![("lang", "nl".into()), ("email", address.into())],
            )
            .await,
            ask(
                "account/register",
                vec![
                    ("lang", "nl".into()),
                    ("email", address.into()),
                    ("password", PASSWORD.into()),
                ],
            )
            .await,
        ];
        let known = [
            ask(
                "account/sign_in",
                vec![
                    ("lang", "nl".into()),
                    ("email", "jan@example.nl".into()),
                    ("password", "Verkeerd-Maar-Lang-Genoeg".into()),
                ],
            )
            .await,
            ask(
                "account/forgot_password",
                vec![("lang", "nl".into()), ("email", "jan@example.nl".into())],
            )
            .await,
            ask(
                "account/register",
                vec![
                    ("lang", "nl".into()),
                    ("email", "jan@example.nl".into()),
                    ("password", PASSWORD.into()),
                ],
            )
            .await,
        ];
        assert_eq!(pair, known, "{address}: the same status, redirect and body");
    }
    assert_eq!(
        ask(
            "account/sign_in",
            vec![
                ("lang", "nl".into()),
                ("email", "nobody@example.nl".into()),
                ("password", "x".into())
            ],
        )
        .await
        .0,
        422
    );
}

#[tokio::test]
async fn a_failed_sign_in_without_javascript_lands_at_the_error_summary_under_a_clean_address_once()
{
    let app = spawn_app().await;
    let mut browser = Browser::default();
    let answer = browser
        .call(
            &app,
            "account/sign_in",
            &[
                ("lang", "nl"),
                ("email", "niemand@voorbeeld.example"),
                ("password", "Verkeerd-Maar-Lang-Genoeg"),
            ],
            Via::Form,
            "/nl/sign-in?notice=confirmed",
        )
        .await;
    assert_eq!(answer.status, 302);
    let back = answer.location.expect("back to the page");
    // Before: /nl/sign-in?notice=confirmed&__path=%2Fapi%2Faccount%2Fsign_in&__err=eyJ...
    assert_eq!(back, "/nl/sign-in#error-summary");
    assert!(
        browser.jar.contains_key("portal_form_error"),
        "the error travels in a cookie: {:?}",
        browser.cookie_names()
    );

    let page = browser.get(&app, &back).await;
    assert_eq!(page.status, 200);
    let html = scraper::Html::parse_document(&page.body);
    let summary = select(&html, "#error-summary");
    assert_eq!(summary.len(), 1, "the summary the address points at");
    let text = common::text(summary[0]);
    assert!(text.contains("Er is een probleem"), "{text}");
    assert!(text.contains("horen niet bij elkaar"), "{text}");
    assert!(
        select(&html, "form .error-summary").len() == 1,
        "the summary is the form's first part"
    );
    assert!(
        !browser.jar.contains_key("portal_form_error"),
        "the page took the error and forgot it"
    );
    let again = browser.get(&app, "/nl/sign-in").await;
    assert!(
        !again.body.contains("error-summary"),
        "shown once: a reload is a fresh form"
    );
}

#[tokio::test]
async fn a_form_posted_without_javascript_comes_back_with_a_field_level_message_in_its_language() {
    let app = spawn_app().await;
    let mut browser = Browser::default();
    let answer = browser
        .call(
            &app,
            "account/register",
            &[
                ("lang", "en"),
                ("email", "not-an-address"),
                ("password", "kort"),
            ],
            Via::Form,
            "/en/register",
        )
        .await;
    assert_eq!(answer.status, 302);
    let back = answer.location.expect("back to the page");
    assert_eq!(
        back, "/en/register#error-summary",
        "a clean address, at the summary"
    );
    assert!(
        !back.contains("not-an-address"),
        "no form input in the address"
    );
    let page = browser
        .get(&app, back.trim_start_matches(&app.address))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Enter a valid e-mail address"),
        "{}",
        page.body
    );
    assert!(page.body.contains("aria-invalid=\"true\""));
    let html = scraper::Html::parse_document(&page.body);
    let links: Vec<String> = select(&html, "#error-summary a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert_eq!(
        links,
        ["#field-email", "#field-password"],
        "each problem links to its field"
    );
    for target in ["field-email", "field-password"] {
        assert_eq!(select(&html, &format!("#{target}")).len(), 1, "{target}");
    }
    let store = store::connect(app.db.url()).await.expect("store");
    assert!(
        store
            .account_by_email_key("not-an-address")
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_password_hash_token_or_other_users_data_appears_in_any_rendered_page() {
    let app = spawn_app().await;
    let mut jan = signed_in_customer(&app, "jan@example.nl").await;
    let _piet = signed_in_customer(&app, "piet@example.nl").await;
    // An outstanding reset link for Piet, whose token must never show.
    Browser::default()
        .call(
            &app,
            "account/forgot_password",
            &[("lang", "nl"), ("email", "piet@example.nl")],
            Via::Script,
            "/nl/forgot-password",
        )
        .await;
    let token = mail_to(&app.outbox, "piet@example.nl").await.token();

    let store = store::connect(app.db.url()).await.expect("store");
    let mut hashes = Vec::new();
    for email in ["jan@example.nl", "piet@example.nl"] {
        let row = store
            .account_by_email_key(email)
            .await
            .expect("read")
            .expect("exists");
        hashes.push(row.password_hash);
    }
    let cookie = jan.cookie.clone().expect("session");

    for path in [
        "/nl",
        "/nl/account",
        "/nl/account/sessions",
        "/nl/account/two-step",
        "/nl/account/confirm-identity",
        "/nl/admin/staff",
        "/nl/sign-in",
        "/nl/register",
        "/nl/forgot-password",
        "/nl/reset-password",
        "/nl/check-mail",
        "/api/account/me",
        "/api/account/sessions",
        "/nl/my-data/delete",
        "/api/my_data/deletion_plan?lang=nl",
        "/en/account",
    ] {
        let page = jan.get(&app, path).await;
        let body = page.body;
        for hash in &hashes {
            assert!(
                !body.contains(hash.as_str()),
                "{path} shows a password hash"
            );
            assert!(!body.contains("$argon2"), "{path} shows a password hash");
        }
        assert!(!body.contains(&token), "{path} shows a token");
        assert!(!body.contains(&cookie), "{path} shows the session id");
        assert!(
            !body.contains("piet@example.nl"),
            "{path} shows another user's address"
        );
    }
    let account = jan.get(&app, "/nl/account").await.body;
    assert!(
        account.contains("jan@example.nl"),
        "the account page shows its own address"
    );
}

async fn wrong_password(app: &TestApp) -> common::browser::Answer {
    Browser::default()
        .call(
            app,
            "account/sign_in",
            &[
                ("lang", "nl"),
                ("email", "jan@example.nl"),
                ("password", "Verkeerd-Maar-Lang-Genoeg"),
            ],
            Via::Script,
            "/nl/sign-in",
        )
        .await
}

async fn eleventh_attempt_on_a_second_instance(db: TestDatabase) {
    let first = spawn().on(db).start().await;
    signed_in_customer(&first, "jan@example.nl").await;
    let second = spawn()
        .set("database_url", first.db.url().expose())
        .outbox_of(&first)
        .start()
        .await;
    for _ in 0..10 {
        assert_eq!(wrong_password(&first).await.status, 422);
    }
    let eleventh = wrong_password(&second).await;
    assert_eq!(eleventh.status, 429, "{}", eleventh.body);
    assert!(
        eleventh.body.contains("Throttled") && eleventh.body.contains("retry_at"),
        "{}",
        eleventh.body
    );

    // Even the right password waits; the form without JavaScript says until when.
    let mut browser = Browser::default();
    let answer = browser
        .call(
            &second,
            "account/sign_in",
            &[
                ("lang", "nl"),
                ("email", "jan@example.nl"),
                ("password", PASSWORD),
            ],
            Via::Form,
            "/nl/sign-in",
        )
        .await;
    let back = answer.location.expect("back to the page");
    let page = browser
        .get(&second, back.trim_start_matches(&second.address))
        .await;
    assert!(
        page.body
            .contains("Te veel mislukte pogingen. Probeer het opnieuw na"),
        "{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn asvs_v6_3_1_the_eleventh_failed_sign_in_gets_429_on_a_second_instance_on_sqlite() {
    eleventh_attempt_on_a_second_instance(TestDatabase::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on PostgreSQL"
)]
async fn asvs_v6_3_1_the_eleventh_failed_sign_in_gets_429_on_a_second_instance_sharing_postgresql()
{
    eleventh_attempt_on_a_second_instance(TestDatabase::postgres().await).await;
}

#[tokio::test]
async fn asvs_v7_5_2_my_sessions_lists_every_device_and_ends_the_others() {
    let app = spawn_app().await;
    let mut here = signed_in_customer(&app, "jan@example.nl").await;
    let mut elsewhere = Browser::default();
    sign_in(&app, &mut elsewhere, "jan@example.nl", PASSWORD).await;

    let list =
        |body: &str| -> Vec<serde_json::Value> { serde_json::from_str(body).expect("a JSON list") };
    let sessions = list(&here.get(&app, "/api/account/sessions").await.body);
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    assert_eq!(sessions[0]["device"], "Firefox · Linux");

    let answer = here
        .call(
            &app,
            "account/end_other_sessions",
            &[("lang", "nl")],
            Via::Script,
            "/nl/account/sessions",
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        elsewhere.me(&app).await,
        None,
        "the other device is signed out"
    );
    assert_eq!(here.me(&app).await.as_deref(), Some("jan@example.nl"));
    assert_eq!(
        list(&here.get(&app, "/api/account/sessions").await.body).len(),
        1
    );
}

/// Asks to create a staff account, as the admin page's form does.
async fn create_staff(
    app: &TestApp,
    browser: &mut Browser,
    email: &str,
    role: &str,
) -> common::browser::Answer {
    let fields = [
        ("lang", "nl"),
        ("email", email),
        ("role", role),
        ("password", "Helpdesk-Koffie-Lamp-31"),
    ];
    browser
        .call(
            app,
            "admin/create_staff",
            &fields,
            Via::Script,
            "/nl/admin/staff",
        )
        .await
}

#[tokio::test]
async fn an_admin_signs_in_with_a_new_two_step_set_up_and_creates_staff_which_customers_cannot() {
    let app = spawn_app().await;
    common::browser::create_admin(&app, "admin@example.nl").await;

    let mut admin = Browser::default();
    let answer = admin
        .call(
            &app,
            "account/sign_in",
            &[
                ("lang", "nl"),
                ("email", "admin@example.nl"),
                ("password", PASSWORD),
            ],
            Via::Form,
            "/nl/sign-in",
        )
        .await;
    assert_eq!(
        answer.location.as_deref(),
        Some("/nl/account/two-step"),
        "staff set up two-step sign-in first"
    );
    assert_eq!(
        admin.me(&app).await,
        None,
        "and are not signed in before that"
    );
    let setup = admin
        .call(
            &app,
            "account/two_step_setup",
            &[],
            Via::Script,
            "/nl/account/two-step",
        )
        .await;
    let setup: serde_json::Value = serde_json::from_str(&setup.body).expect("JSON");
    let secret = setup["secret"].as_str().expect("a secret").to_owned();
    let code = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(&secret).expect("base32"))
        .build()
        .expect("an authenticator")
        .generate_current()
        .to_string();
    let enabled = admin
        .call(
            &app,
            "account/enable_two_step",
            &[("lang", "nl"), ("code", &code)],
            Via::Script,
            "/nl/account/two-step",
        )
        .await;
    assert_eq!(enabled.status, 200, "{}", enabled.body);
    assert_eq!(admin.me(&app).await.as_deref(), Some("admin@example.nl"));

    // Re-authentication: a wrong password is a field error, the right one (with a code) passes.
    let wrong = admin
        .call(
            &app,
            "account/confirm_identity",
            &[
                ("lang", "nl"),
                ("password", "Verkeerd-Maar-Lang-Genoeg"),
                ("code", "000000"),
                ("next", "/nl/admin/staff"),
            ],
            Via::Script,
            "/nl/account/confirm-identity",
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("WrongPassword"), "{}", wrong.body);

    let created = create_staff(&app, &mut admin, "nieuw@example.nl", "support").await;
    assert_eq!(created.status, 200, "{}", created.body);
    let staff = admin.get(&app, "/api/admin/staff").await.body;
    assert!(
        staff.contains("nieuw@example.nl") && staff.contains("admin@example.nl"),
        "{staff}"
    );

    let mut customer = signed_in_customer(&app, "jan@example.nl").await;
    let refused = create_staff(&app, &mut customer, "nog@example.nl", "admin").await;
    assert_eq!(refused.status, 403);
    assert_eq!(customer.get(&app, "/api/admin/staff").await.status, 403);
    let store = store::connect(app.db.url()).await.expect("store");
    assert!(
        store
            .account_by_email_key("nog@example.nl")
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn a_new_customer_is_welcomed_with_first_steps_in_the_session_of_the_first_sign_in_only() {
    let app = spawn_app().await;
    let email = "nieuw@klant.example";
    let mut first = signed_in_customer(&app, email).await;
    let page = first.get(&app, "/nl/account").await;
    assert_eq!(page.status, 200);
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(select(&html, "#welcome").len(), 1, "welcomed");
    let steps: Vec<String> = select(&html, "#welcome a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert_eq!(
        steps,
        [
            "/nl/my-data",
            "/nl/my-data/export",
            "/nl/cookies",
            "/nl/my-data/delete"
        ]
    );

    let mut later = Browser::default();
    sign_in(&app, &mut later, email, PASSWORD).await;
    let page = later.get(&app, "/nl/account").await;
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("id=\"welcome\""),
        "a second sign-in is not a first"
    );
}
