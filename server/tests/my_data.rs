//! "Mijn gegevens" over HTTP: every category of the catalogue with the facts Art. 15(1) asks
//! for, the holder's own items (the provider's fetched live through the stand-in), and never
//! anyone else's.

mod common;

use chrono::Datelike;
use common::{
    TestApp,
    browser::{Browser, Via, mail_to, signed_in_customer},
    give_quote_request, select, signed_in_subscriber, spawn_beside as portal_beside,
};
use provider_sim::{Faults, testing::StandIn};

async fn page(app: &TestApp, browser: &mut Browser, path: &str) -> scraper::Html {
    let answer = browser.get(app, path).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    scraper::Html::parse_document(&answer.body)
}

/// The fields a 422 answer names, in its order.
fn invalid_fields(body: &str) -> Vec<String> {
    let error: serde_json::Value = serde_json::from_str(body).expect("JSON");
    error["Invalid"]
        .as_array()
        .expect("field errors")
        .iter()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect()
}

fn text_of(html: &scraper::Html, css: &str) -> String {
    select(html, css)
        .into_iter()
        .map(common::text)
        .collect::<Vec<_>>()
        .join(" | ")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_catalogue_category_appears_with_its_facts_and_the_holders_items_and_never_another_customers()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_subscriber(&app, "sanne@bakkerij.example", "OO-100001").await;
    let mut mark = signed_in_subscriber(&app, "mark@installatie.example", "OO-100002").await;

    let html = page(&app, &mut sanne, "/nl/my-data").await;
    let config = server::Config::load(None).expect("defaults");
    let categories = select(&html, "section[data-category]");
    assert_eq!(
        categories.len(),
        config.facts.catalogue.len(),
        "every category"
    );
    for (section, category) in categories.iter().zip(&config.facts.catalogue) {
        assert_eq!(
            section.value().attr("data-category"),
            Some(category.id.as_str())
        );
        let facts: Vec<String> = section
            .select(&scraper::Selector::parse("dl.facts dt").expect("css"))
            .map(common::text)
            .collect();
        assert_eq!(
            facts,
            [
                "Welke gegevens",
                "Waarvoor",
                "Grondslag",
                "Ontvangers",
                "Bewaartermijn",
                "Herkomst",
                "Waar"
            ],
            "{}",
            category.id
        );
        let values = section
            .select(&scraper::Selector::parse("dl.facts dd").expect("css"))
            .map(common::text)
            .collect::<Vec<_>>();
        assert!(
            values.iter().all(|v| !v.trim().is_empty()),
            "{}: {values:?}",
            category.id
        );
    }

    let account = text_of(&html, "[data-category=account] dl.item");
    assert!(account.contains("sanne@bakkerij.example"), "{account}");
    let sign_ins = text_of(&html, "[data-category=sign-in-logs] dl.item");
    assert!(
        sign_ins.contains("Bewaard tot en met"),
        "a date from the matrix: {sign_ins}"
    );
    let numbers = text_of(&html, "[data-category=provider-numbers-services]");
    assert!(
        numbers.contains("+31201234567")
            && numbers.contains("Zojuist opgehaald bij Operator Online"),
        "{numbers}"
    );
    // In words, not the provider's codes: "Stand actief", not "Status: active".
    assert!(
        numbers.contains("Stand") && numbers.contains("actief") && !numbers.contains("active"),
        "{numbers}"
    );
    assert_eq!(
        text_of(&html, "[data-category=account] details > summary"),
        "1 item",
        "one account, counted in words"
    );
    // The stand-in holds this month's usage: kept six months after the month's last day, and
    // deleted by the retention purge the day after.
    let usage = text_of(&html, "[data-category=provider-usage] dl.item");
    let today = chrono::Utc::now().date_naive();
    let month_end = (today.with_day(1).expect("a day") + chrono::Months::new(1))
        .pred_opt()
        .expect("a day");
    let kept = month_end + chrono::Months::new(6);
    let gone = domain::time::date(kept.succ_opt().expect("a day"), domain::Lang::Nl);
    let kept = domain::time::date(kept, domain::Lang::Nl);
    assert!(
        usage.contains(&format!("Bewaard tot en met {kept}, verwijderd op {gone}")),
        "six months after this month's bill: {usage}"
    );
    let quotes = text_of(&html, "[data-category=quote-requests]");
    assert!(
        quotes.contains("Hiervan bewaren we niets over jou."),
        "an empty category says so"
    );

    let whole = html.html();
    assert!(!whole.contains("item(s)"), "singular or plural, never both");
    assert!(
        !whole.contains("mark@installatie.example") && !whole.contains("+31307654321"),
        "nobody else's data"
    );

    let english = page(&app, &mut mark, "/en/my-data").await;
    let mine = text_of(&english, "[data-category=provider-directory]");
    assert!(
        mine.contains("+31307654321") && !mine.contains("+31201234567"),
        "{mine}"
    );
    assert!(text_of(&english, "[data-category=account] dl.facts").contains("Legal basis"));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_provider_down_my_data_still_shows_everything_else_and_says_the_providers_part_is_unavailable()
 {
    let stand_in = StandIn::start(Faults {
        down: true,
        ..Faults::default()
    })
    .await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_subscriber(&app, "sanne@bakkerij.example", "OO-100001").await;
    let html = page(&app, &mut sanne, "/nl/my-data").await;
    assert!(text_of(&html, "[data-category=account] dl.item").contains("sanne@bakkerij.example"));
    for id in [
        "provider-numbers-services",
        "provider-directory",
        "provider-porting",
        "provider-usage",
    ] {
        let part = text_of(
            &html,
            &format!("[data-category={id}] [data-source=unavailable]"),
        );
        assert!(
            part.contains("niet bereikbaar") && part.contains("Opnieuw proberen"),
            "{id}: {part}"
        );
    }
}

#[tokio::test]
async fn my_data_needs_a_signed_in_account() {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let answer = Browser::default().get(&app, "/api/my_data?lang=nl").await;
    assert_eq!(answer.status, 401);
}

const CORRECTED: [(&str, &str); 8] = [
    ("name", "Sanne   de Vries"),
    ("phone", "06 12345678"),
    ("company", "Bakkerij De Vries"),
    ("job_title", "Eigenaar"),
    ("street", "Bakkerstraat 1"),
    ("postcode", "1011ac"),
    ("city", "Amsterdam"),
    ("country", "Nederland"),
];

fn form<'a>(
    lang: &'a str,
    version: &'a str,
    fields: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("lang", lang), ("version", version)];
    all.extend_from_slice(fields);
    all
}

#[tokio::test]
async fn a_holder_corrects_their_profile_without_javascript_and_each_changed_field_is_recorded_without_its_value()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_customer(&app, "sanne@bakkerij.example").await;
    let answer = sanne
        .call(
            &app,
            "my_data/correct_profile",
            &form("nl", "0", &CORRECTED),
            Via::Form,
            "/nl/my-data",
        )
        .await;
    assert_eq!(answer.status, 302, "{}", answer.body);
    assert_eq!(
        answer.location.as_deref(),
        Some("/nl/my-data?notice=profile-corrected#account")
    );

    let html = page(&app, &mut sanne, "/nl/my-data").await;
    let account = text_of(&html, "[data-category=account] dl.item");
    for shown in ["Sanne de Vries", "+31612345678", "1011 AC", "Eigenaar"] {
        assert!(account.contains(shown), "{shown}: {account}");
    }
    let value = |css: &str| {
        select(&html, css)
            .first()
            .and_then(|e| e.value().attr("value").map(str::to_owned))
    };
    assert_eq!(
        value("#field-postcode").as_deref(),
        Some("1011 AC"),
        "the form shows the stored value"
    );
    assert_eq!(value("input[name=version]").as_deref(), Some("1"));

    let store = store::connect(app.db.url()).await.expect("store");
    let account = store
        .account_by_email_key("sanne@bakkerij.example")
        .await
        .expect("read")
        .expect("account");
    let corrections = store.corrections(&account.id, 20).await.expect("read");
    assert_eq!(corrections.len(), 8, "one record per changed field");
    let debug = format!("{corrections:?}");
    assert!(
        !debug.contains("Vries") && !debug.contains("1011"),
        "no values: {debug}"
    );

    // The same values again: nothing changed, nothing recorded.
    let again = sanne
        .call(
            &app,
            "my_data/correct_profile",
            &form("nl", "1", &CORRECTED),
            Via::Form,
            "/nl/my-data",
        )
        .await;
    assert_eq!(
        again.location.as_deref(),
        Some("/nl/my-data?notice=profile-unchanged#account")
    );
    assert_eq!(
        store
            .corrections(&account.id, 20)
            .await
            .expect("read")
            .len(),
        8
    );
    store.close().await;
}

#[tokio::test]
async fn a_bad_phone_number_without_javascript_lands_at_the_summary_linking_to_the_field() {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_customer(&app, "telefoon@bakkerij.example").await;
    let answer = sanne
        .call(
            &app,
            "my_data/correct_profile",
            &form("nl", "0", &[("phone", "bel me maar")]),
            Via::Form,
            "/nl/my-data",
        )
        .await;
    assert_eq!(answer.status, 302, "{}", answer.body);
    // Before: the page's top, with ?__path=…&__err=<base64> in the address bar.
    let back = answer.location.expect("back to the page");
    assert_eq!(back, "/nl/my-data#error-summary");

    let html = page(&app, &mut sanne, &back).await;
    let summary = select(&html, "#error-summary");
    assert_eq!(summary.len(), 1, "the summary the address points at");
    let links: Vec<(String, String)> = select(&html, "#error-summary a")
        .iter()
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default().to_owned(),
                common::text(*a),
            )
        })
        .collect();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].0, "#field-phone");
    assert!(links[0].1.contains("telefoonnummer"), "{links:?}");
    assert_eq!(select(&html, "#field-phone[aria-invalid=true]").len(), 1);
    let described = select(&html, "#field-phone")[0]
        .value()
        .attr("aria-describedby")
        .unwrap_or_default()
        .to_owned();
    assert!(described.contains("field-phone-error"), "{described}");
    assert_eq!(select(&html, "#field-phone-error").len(), 1);
}

#[tokio::test]
async fn bad_values_get_messages_at_their_fields_in_the_holders_language_and_change_nothing() {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut mark = signed_in_customer(&app, "mark@installatie.example").await;
    let bad = form(
        "en",
        "0",
        &[
            ("name", "R2-D2"),
            ("phone", "call me"),
            ("postcode", "0000 XX"),
            ("city", "Utrecht"),
        ],
    );

    let script = mark
        .call(
            &app,
            "my_data/correct_profile",
            &bad,
            Via::Script,
            "/en/my-data",
        )
        .await;
    assert_eq!(script.status, 422);
    assert_eq!(invalid_fields(&script.body), ["name", "phone", "postcode"]);

    let form_post = mark
        .call(
            &app,
            "my_data/correct_profile",
            &bad,
            Via::Form,
            "/en/my-data",
        )
        .await;
    assert_eq!(form_post.status, 302);
    let back = form_post.location.expect("back to the page");
    assert!(
        !back.contains("call") && !back.contains("R2"),
        "no input in the address: {back}"
    );
    let page = mark.get(&app, back.trim_start_matches(&app.address)).await;
    assert_eq!(page.status, 200);
    for message in [
        "Use letters (of any script)",
        "Enter a phone number",
        "Enter a Dutch postcode",
    ] {
        assert!(page.body.contains(message), "{message}");
    }

    let store = store::connect(app.db.url()).await.expect("store");
    let account = store
        .account_by_email_key("mark@installatie.example")
        .await
        .expect("read")
        .expect("account");
    assert!(
        store.profile(&account.id).await.expect("read").is_none(),
        "nothing saved"
    );
    store.close().await;
}

#[tokio::test]
async fn a_form_made_before_another_save_is_reported_as_stale_and_overwrites_nothing() {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_customer(&app, "sanne@bakkerij.example").await;
    let first = sanne
        .call(
            &app,
            "my_data/correct_profile",
            &form("nl", "0", &[("city", "Utrecht")]),
            Via::Script,
            "/nl/my-data",
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    // A second tab, opened before that save, still says version 0.
    let stale = sanne
        .call(
            &app,
            "my_data/correct_profile",
            &form("nl", "0", &[("city", "Haarlem")]),
            Via::Script,
            "/nl/my-data",
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("Stale"), "{}", stale.body);
    let html = page(&app, &mut sanne, "/nl/my-data").await;
    let account = text_of(&html, "[data-category=account] dl.item");
    assert!(
        account.contains("Utrecht") && !account.contains("Haarlem"),
        "{account}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_correction_of_a_field_held_at_the_provider_is_pending_until_the_provider_applied_it_then_shows_fetched()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_subscriber(&app, "sanne@bakkerij.example", "OO-100001").await;
    let html = page(&app, &mut sanne, "/nl/my-data").await;
    assert!(
        !select(
            &html,
            "[data-category=provider-directory] select[name=field] option[value=city]"
        )
        .is_empty(),
        "the directory entry's place is offered for correction"
    );
    assert_eq!(
        select(&html, "label[for=correct-OO-100001-dir-1-value]").len(),
        1,
        "each item's form has its own ids, so its label names its own input"
    );

    stand_in
        .set_faults(&Faults {
            down: true,
            ..Faults::default()
        })
        .await;
    let bad = sanne
        .call(
            &app,
            "my_data/correct_at_provider",
            &[
                ("lang", "nl"),
                ("record_id", "OO-100001-dir-1"),
                ("field", "status"),
                ("value", "x"),
            ],
            Via::Script,
            "/nl/my-data",
        )
        .await;
    assert_eq!(bad.status, 422, "only the offered fields: {}", bad.body);
    let answer = sanne
        .call(
            &app,
            "my_data/correct_at_provider",
            &[
                ("lang", "nl"),
                ("record_id", "OO-100001-dir-1"),
                ("field", "city"),
                ("value", "Zaandam"),
            ],
            Via::Form,
            "/nl/my-data",
        )
        .await;
    assert_eq!(
        answer.location.as_deref(),
        Some("/nl/my-data?notice=correction-requested#corrections")
    );
    sanne
        .reload_until(&app, "/nl/account/provider", &["laatste poging"])
        .await;
    let waiting = page(&app, &mut sanne, "/nl/my-data").await;
    assert!(
        !text_of(&waiting, "[data-category=provider-directory]").contains("Zaandam"),
        "not shown as done before it is"
    );
    let told = text_of(&waiting, "#corrections li[data-correction]");
    assert!(
        told.contains("Telefoongids en nummerinformatie — Plaats")
            && told.contains("Operator Online: wordt verteld (onderweg)"),
        "the provider is the recipient, not told yet: {told}"
    );

    stand_in.set_faults(&Faults::default()).await;
    sanne
        .reload_until(
            &app,
            "/nl/account/provider",
            &["Uitgevoerd door Operator Online"],
        )
        .await;
    let done = page(&app, &mut sanne, "/nl/my-data").await;
    assert!(text_of(&done, "[data-category=provider-directory] dl.item").contains("Zaandam"));
    assert!(
        text_of(&done, "#corrections li[data-told=yes]").contains("Operator Online: verteld op"),
        "told once the provider confirmed"
    );
    let effects = stand_in.effects().await;
    assert_eq!(effects.len(), 1, "applied once: {effects:?}");

    let store = store::connect(app.db.url()).await.expect("store");
    let account = store
        .account_by_email_key("sanne@bakkerij.example")
        .await
        .expect("read")
        .expect("account");
    let corrections = store.corrections(&account.id, 5).await.expect("read");
    assert_eq!(
        corrections
            .iter()
            .map(|c| (c.category.as_str(), c.field.as_str()))
            .collect::<Vec<_>>(),
        [("provider-directory", "city")],
        "recorded without the value"
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_correction_is_mailed_to_the_supplier_that_received_a_quote_request_and_shown_as_told()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_customer(&app, "sanne@bakkerij.example").await;
    let quote = give_quote_request(
        &app,
        "sanne@bakkerij.example",
        (
            "Glasvezel Partners B.V.",
            "offertes@glasvezelpartners.example",
        ),
    )
    .await;
    let html = page(&app, &mut sanne, "/nl/my-data").await;
    let quotes = text_of(&html, "[data-category=quote-requests] dl.item");
    assert!(
        quotes.contains("Gedeeld metGlasvezel Partners B.V.")
            && quotes.contains(&format!("OFF-{quote:06}"))
            && quotes.contains("Bewaard tot en met"),
        "the quote, who it went to, and until when it is kept: {quotes}"
    );
    assert!(text_of(&html, "#corrections").contains("Je hebt nog niets gecorrigeerd."));

    let answer = sanne
        .call(
            &app,
            "my_data/correct_profile",
            &form(
                "nl",
                "0",
                &[("name", "Sanne de Vries"), ("phone", "06 12345678")],
            ),
            Via::Form,
            "/nl/my-data",
        )
        .await;
    assert_eq!(answer.status, 302, "{}", answer.body);

    let mail = mail_to(&app.outbox, "offertes@glasvezelpartners.example").await;
    assert!(
        mail.subject.contains(&format!("OFF-{quote:06}"))
            && mail
                .text
                .contains("Telefoonnummer / Phone number: +31612345678")
            && mail.text.contains("artikel 19 AVG"),
        "the supplier gets the corrected values and the reference: {mail:?}"
    );
    let told = sanne
        .reload_until(&app, "/nl/my-data", &["verteld op"])
        .await;
    let html = scraper::Html::parse_document(&told);
    let corrections = text_of(&html, "#corrections li[data-correction]");
    assert!(
        corrections.contains("Account en profiel — Telefoonnummer")
            && corrections.contains("Glasvezel Partners B.V.: verteld op"),
        "{corrections}"
    );
    assert!(
        select(&html, "#corrections li[data-told=no]").is_empty(),
        "every recipient told"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_correction_request_with_a_statement_becomes_an_open_request_with_the_recipients_to_be_told()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut sanne = signed_in_subscriber(&app, "sanne@bakkerij.example", "OO-100001").await;
    let statement = "De porteerdatum klopt niet: het nummer kwam op 15 juni over, niet op 14 juni.";
    let answer = sanne
        .call(
            &app,
            "my_data/file_request",
            &[
                ("lang", "nl"),
                ("kind", "rectification"),
                ("category", "provider-porting"),
                ("details", statement),
            ],
            Via::Form,
            "/nl/my-data",
        )
        .await;
    assert_eq!(
        answer.location.as_deref(),
        Some("/nl/my-data?notice=request-filed#requests")
    );
    let html = page(&app, &mut sanne, "/nl/my-data?notice=request-filed").await;
    let request = text_of(&html, "#requests li[data-open=yes]");
    assert!(
        request.contains("Correctie of aanvulling (art. 16)")
            && request.contains("In behandeling")
            && request.contains("Betreft: Nummerbehoud (porteringen)")
            && request.contains(statement)
            && request.contains("Operator Online: wordt verteld zodra de correctie is gemaakt"),
        "{request}"
    );
    assert!(
        text_of(&html, "[data-category=rights-requests] dl.item").contains(statement),
        "the request is itself data held about the holder"
    );
}

#[tokio::test]
async fn a_request_without_a_statement_or_of_an_unknown_kind_gets_messages_at_its_fields_and_files_nothing()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut mark = signed_in_customer(&app, "mark@installatie.example").await;
    let script = mark
        .call(
            &app,
            "my_data/file_request",
            &[
                ("lang", "en"),
                ("kind", "erasure-of-everyone"),
                ("category", "nonsense"),
                ("details", "  "),
            ],
            Via::Script,
            "/en/my-data",
        )
        .await;
    assert_eq!(script.status, 422, "{}", script.body);
    assert_eq!(
        invalid_fields(&script.body),
        ["kind", "category", "details"]
    );

    let form_post = mark
        .call(
            &app,
            "my_data/file_request",
            &[
                ("lang", "en"),
                ("kind", "restriction"),
                ("category", ""),
                ("details", ""),
            ],
            Via::Form,
            "/en/my-data",
        )
        .await;
    assert_eq!(form_post.status, 302);
    let back = form_post.location.expect("back to the page");
    let page = mark.get(&app, back.trim_start_matches(&app.address)).await;
    assert!(
        page.body
            .contains("Write here what you want to ask or tell us."),
        "the message at the field"
    );
    let html = scraper::Html::parse_document(&page.body);
    assert!(text_of(&html, "#requests").contains("You have not filed any requests yet."));
}

#[tokio::test]
async fn objecting_to_direct_marketing_takes_one_click_and_is_recorded_as_a_request_settled_at_once()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = portal_beside(&stand_in).await;
    let mut mark = signed_in_customer(&app, "mark@installatie.example").await;
    let html = page(&app, &mut mark, "/en/my-data").await;
    assert_eq!(
        select(&html, "[data-marketing]")[0]
            .value()
            .attr("data-marketing"),
        Some("allowed")
    );
    for _ in 0..2 {
        let answer = mark
            .call(
                &app,
                "my_data/direct_marketing",
                &[("lang", "en"), ("object", "true")],
                Via::Form,
                "/en/my-data",
            )
            .await;
        assert_eq!(
            answer.location.as_deref(),
            Some("/en/my-data?notice=marketing-objected#rights")
        );
    }
    let html = page(&app, &mut mark, "/en/my-data").await;
    assert_eq!(
        select(&html, "[data-marketing]")[0]
            .value()
            .attr("data-marketing"),
        Some("objected")
    );
    assert!(
        text_of(&html, "[data-category=account] dl.item")
            .contains("Objected to direct marketing since")
    );
    let requests = select(&html, "#requests li[data-request]");
    assert_eq!(requests.len(), 1, "objecting twice is one objection");
    let request = common::text(requests[0]);
    assert!(
        request.contains("Objection (Art. 21)")
            && request.contains("Handled")
            && request.contains("No more direct marketing"),
        "{request}"
    );

    mark.call(
        &app,
        "my_data/direct_marketing",
        &[("lang", "en"), ("object", "false")],
        Via::Form,
        "/en/my-data",
    )
    .await;
    let html = page(&app, &mut mark, "/en/my-data").await;
    assert_eq!(
        select(&html, "[data-marketing]")[0]
            .value()
            .attr("data-marketing"),
        Some("allowed")
    );
}
