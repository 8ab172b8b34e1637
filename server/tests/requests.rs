//! Rights requests end to end through the server functions: who may call what, a holder kept
//! to their own requests, the staff's actions and what the person sees of them.

mod common;

use chrono::Utc;
use common::{
    TestApp,
    browser::{Browser, Via, mails_to, signed_in_admin, signed_in_customer, signed_in_staff},
    spawn_app,
};
use domain::{Deadline, Role};
use serde_json::Value;

const SUPPORT: &str = "support@voorbeeld.example";

async fn json(browser: &mut Browser, app: &TestApp, path: &str) -> (u16, Value) {
    let answer = browser.get(app, path).await;
    let value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
    (answer.status, value)
}

/// Files a request from "Mijn verzoeken"; its id.
async fn file(app: &TestApp, browser: &mut Browser, kind: &str, details: &str) -> i64 {
    let answer = browser
        .call(
            app,
            "my_data/file_request",
            &[
                ("lang", "nl"),
                ("kind", kind),
                ("details", details),
                ("from", "requests"),
            ],
            Via::Script,
            "/nl/requests",
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let (_, list) = json(browser, app, "/api/requests/mine").await;
    list[0]["id"].as_i64().expect("the new request first")
}

async fn thread(app: &TestApp, browser: &mut Browser, id: i64) -> Value {
    let (status, thread) = json(browser, app, &format!("/api/requests/one?id={id}")).await;
    assert_eq!(status, 200, "{thread}");
    thread
}

async fn staff_call(
    app: &TestApp,
    staff: &mut Browser,
    endpoint: &str,
    id: i64,
    extra: &[(&str, &str)],
) -> common::browser::Answer {
    let id = id.to_string();
    let mut fields = vec![("lang", "nl"), ("id", id.as_str())];
    fields.extend_from_slice(extra);
    staff
        .call(
            app,
            endpoint,
            &fields,
            Via::Script,
            &format!("/nl/admin/requests/{id}"),
        )
        .await
}

/// The request's row as stored, for "nothing changed".
async fn stored(app: &TestApp, id: i64) -> (store::records::RightsRequestRow, usize) {
    let store = store::connect(app.db.url()).await.expect("store");
    let row = store
        .rights_request(id)
        .await
        .expect("read")
        .expect("the request");
    let events = store.request_events(id).await.expect("events").len();
    store.close().await;
    (row, events)
}

/// The mails to `to` with `subject`, once at least one has arrived (the queue sends them a
/// moment after their cause commits).
async fn arrived(app: &TestApp, to: &str, subject: &str) -> usize {
    for _ in 0..200 {
        let count = mails_to(&app.outbox, to)
            .into_iter()
            .filter(|m| m.subject == subject)
            .count();
        if count > 0 {
            // A second copy would have been queued in the same transaction: let it arrive too.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            return mails_to(&app.outbox, to)
                .into_iter()
                .filter(|m| m.subject == subject)
                .count();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    0
}

/// Moves a request's receipt back in time (the portal under test is on SQLite).
async fn set_received(app: &TestApp, id: i64, at: chrono::DateTime<Utc>) {
    let pool = sqlx::SqlitePool::connect(app.db.url().expose())
        .await
        .expect("pool");
    sqlx::query("UPDATE rights_requests SET received_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(&pool)
        .await
        .expect("moved back");
    pool.close().await;
}

#[tokio::test]
async fn asvs_v8_2_1_every_admin_server_function_answers_exactly_the_roles_allowed_to_call_it() {
    let app = spawn_app().await;
    let mut customer = signed_in_customer(&app, "klant@voorbeeld.example").await;
    let id = file(
        &app,
        &mut customer,
        "question",
        "Hoe lang bewaren jullie facturen?",
    )
    .await;
    let id = id.to_string();
    let staff_only = [Role::Support, Role::Admin];
    let admin_only = [Role::Admin];
    // Every admin endpoint, with the roles that may call it. The list is checked against the
    // source below, so a new admin function cannot be forgotten here.
    let matrix: Vec<Entry> = vec![
        ("admin/queue", None, &staff_only),
        ("admin/request", None, &staff_only),
        ("admin/assign", Some(vec![("take", "true")]), &staff_only),
        (
            "admin/reply",
            Some(vec![("body", "Een antwoord")]),
            &staff_only,
        ),
        (
            "admin/ask_info",
            Some(vec![("body", "Welk nummer?")]),
            &staff_only,
        ),
        (
            "admin/extend",
            Some(vec![("months", "1"), ("reason", "Drukte")]),
            &staff_only,
        ),
        ("admin/complete", Some(vec![("body", "Klaar")]), &staff_only),
        (
            "admin/refuse",
            Some(vec![("reason", "Kan niet")]),
            &staff_only,
        ),
        ("admin/answer_disclosure", Some(vec![]), &staff_only),
        ("admin/retry_job", Some(vec![("job", "1")]), &staff_only),
        ("admin/audit", None, &admin_only),
        ("admin/retention", None, &admin_only),
        ("admin/page_views", None, &admin_only),
        ("admin/staff", None, &admin_only),
        (
            "admin/create_staff",
            Some(vec![
                ("email", "nieuw@voorbeeld.example"),
                ("role", "support"),
                ("password", "Kast-Fiets-Regen-Boom-41"),
            ]),
            &admin_only,
        ),
    ];
    let mut in_source = admin_endpoints_in_source();
    in_source.sort_unstable();
    let mut listed: Vec<String> = matrix.iter().map(|(e, _, _)| (*e).to_owned()).collect();
    listed.sort_unstable();
    assert_eq!(
        listed, in_source,
        "every admin server function is in the matrix"
    );

    let mut callers = vec![
        (None, Browser::default()),
        (Some(Role::Customer), customer),
        (
            Some(Role::Support),
            signed_in_staff(&app, SUPPORT, Role::Support).await,
        ),
        (
            Some(Role::Admin),
            signed_in_admin(&app, "beheer@voorbeeld.example").await,
        ),
    ];
    for (role, browser) in &mut callers {
        for (endpoint, fields, allowed) in &matrix {
            let status = match fields {
                None => {
                    let path = format!("/api/{endpoint}?lang=nl&id={id}");
                    browser.get(&app, &path).await.status
                }
                Some(extra) => {
                    let mut fields = vec![("lang", "nl"), ("id", id.as_str())];
                    fields.extend(extra.iter().copied());
                    browser
                        .call(&app, endpoint, &fields, Via::Script, "/nl/admin")
                        .await
                        .status
                }
            };
            let expected_refusal = match role {
                None => Some(401),
                Some(role) if !allowed.contains(role) => Some(403),
                Some(_) => None,
            };
            match expected_refusal {
                Some(code) => assert_eq!(status, code, "{endpoint} as {role:?}"),
                None => assert!(
                    ![401, 403].contains(&status) && status < 500,
                    "{endpoint} as {role:?} answered {status}"
                ),
            }
        }
    }
}

/// An admin endpoint, its form fields (none: a GET) and the roles that may call it.
type Entry<'a> = (&'a str, Option<Vec<(&'a str, &'a str)>>, &'a [Role]);

/// The endpoints of every `#[server(endpoint = "admin/…")]` in the app's source.
fn admin_endpoints_in_source() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/api");
    let mut found = Vec::new();
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the app's source") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("a source file");
            for part in source.split("endpoint = \"admin/").skip(1) {
                let name = part.split('"').next().unwrap_or_default();
                found.push(format!("admin/{name}"));
            }
        }
    }
    found
}

#[tokio::test]
async fn asvs_v8_2_2_a_customer_never_reaches_another_persons_request_by_changing_the_id() {
    let app = spawn_app().await;
    let mut owner = signed_in_customer(&app, "eigenaar@voorbeeld.example").await;
    let id = file(
        &app,
        &mut owner,
        "restriction",
        "Gebruik mijn adres even niet",
    )
    .await;
    let before = stored(&app, id).await;
    let mut other = signed_in_customer(&app, "buurman@voorbeeld.example").await;

    let (status, body) = json(&mut other, &app, &format!("/api/requests/one?id={id}")).await;
    let (missing_status, missing) = json(
        &mut other,
        &app,
        &format!("/api/requests/one?id={}", id + 1000),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        (missing_status, &missing),
        (404, &body),
        "the same as no such request"
    );
    let id_text = id.to_string();
    for (endpoint, extra) in [
        ("requests/message", vec![("body", "Ik ben het echt")]),
        ("requests/cancel", vec![]),
    ] {
        let mut fields = vec![("lang", "nl"), ("id", id_text.as_str())];
        fields.extend(extra);
        let answer = other
            .call(&app, endpoint, &fields, Via::Script, "/nl/requests")
            .await;
        assert_eq!(answer.status, 404, "{endpoint}");
    }
    let (list_status, list) = json(&mut other, &app, "/api/requests/mine").await;
    assert_eq!((list_status, list), (200, Value::Array(vec![])));
    assert_eq!(stored(&app, id).await, before, "nothing changed");
    let page = other.get(&app, &format!("/nl/requests/{id}")).await;
    assert!(!page.body.contains("Gebruik mijn adres even niet"));
}

#[tokio::test]
async fn support_answers_a_provider_identity_request_from_configuration_and_the_customer_reads_it_and_sees_who_looked()
 {
    let app = spawn_app().await;
    let email = "nieuwsgierig@voorbeeld.example";
    let mut customer = signed_in_customer(&app, email).await;
    let id = file(
        &app,
        &mut customer,
        "provider-identity",
        "Wie is jullie leverancier?",
    )
    .await;
    let mine = thread(&app, &mut customer, id).await;
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    assert_eq!(mine["item"]["stage"], "open");
    assert_eq!(
        mine["item"]["due"],
        domain::time::date(Deadline::new(today).due(), domain::Lang::Nl)
    );

    let mut support = signed_in_staff(&app, SUPPORT, Role::Support).await;
    let (_, queue) = json(&mut support, &app, "/api/admin/queue").await;
    let ids: Vec<i64> = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    assert_eq!(ids, [id]);
    assert_eq!(queue["dashboard"]["open"], 1);
    let (status, opened) = json(
        &mut support,
        &app,
        &format!("/api/admin/request?lang=nl&id={id}"),
    )
    .await;
    assert_eq!(status, 200, "{opened}");
    assert_eq!(opened["person"][0], email);
    let answer = staff_call(&app, &mut support, "admin/answer_disclosure", id, &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);

    let done = thread(&app, &mut customer, id).await;
    assert_eq!(done["item"]["stage"], "completed");
    let last = done["events"]
        .as_array()
        .and_then(|e| e.last())
        .expect("an answer");
    assert_eq!(last["author"], "staff");
    assert!(
        last["body"]
            .as_str()
            .unwrap_or_default()
            .contains("Operator Online"),
        "{last}"
    );
    assert_eq!(arrived(&app, email, "Nieuws over je verzoek").await, 1);
    let again = staff_call(&app, &mut support, "admin/answer_disclosure", id, &[]).await;
    assert_eq!(again.status, 409, "a closed request is not answered twice");

    let (_, data) = json(&mut customer, &app, "/api/my_data?lang=nl").await;
    let access = data["history"]["staff_access"].as_array().expect("a list");
    assert_eq!(access.len(), 1, "{access:?}");
    assert!(
        access[0]["who"]
            .as_str()
            .unwrap_or_default()
            .starts_with(SUPPORT)
    );
    assert_eq!(access[0]["purpose"], format!("Verzoek {id}"));
    // Kept two years with the requests (the matrix's rights-requests rule), then purged.
    let today = chrono::Utc::now().date_naive();
    let gone = (today + chrono::Months::new(24)).succ_opt().expect("a day");
    // In words, as the page shows it (the browser test matched this once ISO slipped through).
    assert_eq!(
        access[0]["deleted_on"],
        domain::time::date(gone, domain::Lang::Nl)
    );
}

#[tokio::test]
async fn an_extension_needs_a_reason_moves_the_deadline_by_calendar_months_and_is_refused_after_the_original_deadline()
 {
    let app = spawn_app().await;
    let mut customer = signed_in_customer(&app, "geduld@voorbeeld.example").await;
    let id = file(&app, &mut customer, "objection", "Geen profilering graag").await;
    let mut support = signed_in_staff(&app, SUPPORT, Role::Support).await;

    let before = stored(&app, id).await;
    let refused = staff_call(
        &app,
        &mut support,
        "admin/extend",
        id,
        &[("months", "2"), ("reason", "  ")],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("reason"), "{}", refused.body);
    let too_long = staff_call(
        &app,
        &mut support,
        "admin/extend",
        id,
        &[("months", "3"), ("reason", "Veel werk")],
    )
    .await;
    assert_eq!(too_long.status, 422);
    assert!(too_long.body.contains("months"), "{}", too_long.body);
    assert_eq!(stored(&app, id).await, before, "nothing changed");

    let extended = staff_call(
        &app,
        &mut support,
        "admin/extend",
        id,
        &[
            ("months", "2"),
            ("reason", "We moeten het navragen bij de leverancier"),
        ],
    )
    .await;
    assert_eq!(extended.status, 200, "{}", extended.body);
    let seen = thread(&app, &mut customer, id).await;
    let received = stored(&app, id)
        .await
        .0
        .received_at
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    let expected = Deadline::new(received)
        .extend(2, received)
        .expect("in time")
        .due();
    assert_eq!(
        seen["item"]["due"],
        domain::time::date(expected, domain::Lang::Nl)
    );
    let reason = seen["events"]
        .as_array()
        .and_then(|e| e.last())
        .expect("the reason");
    assert_eq!(reason["kind"], "extended");
    assert_eq!(reason["body"], "We moeten het navragen bij de leverancier");
    let more = staff_call(
        &app,
        &mut support,
        "admin/extend",
        id,
        &[("months", "1"), ("reason", "Nog meer werk")],
    )
    .await;
    assert_eq!(more.status, 422, "no more than two further months");

    // A request received two months ago: its first month has passed.
    let late = file(&app, &mut customer, "question", "Een oude vraag").await;
    set_received(&app, late, Utc::now() - chrono::Duration::days(62)).await;
    let before = stored(&app, late).await;
    let too_late = staff_call(
        &app,
        &mut support,
        "admin/extend",
        late,
        &[("months", "1"), ("reason", "Vergeten")],
    )
    .await;
    assert_eq!(too_late.status, 422);
    assert_eq!(stored(&app, late).await, before, "nothing changed");
    let (_, queue) = json(&mut support, &app, "/api/admin/queue?overdue=1").await;
    let overdue: Vec<i64> = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    assert_eq!(overdue, [late]);
}

#[tokio::test]
async fn asking_for_information_stops_the_clock_until_the_person_answers_and_staff_hear_of_the_answer()
 {
    let app = spawn_app().await;
    let mut customer = signed_in_customer(&app, "antwoord@voorbeeld.example").await;
    let id = file(
        &app,
        &mut customer,
        "rectification",
        "Mijn functie klopt niet",
    )
    .await;
    let mut support = signed_in_staff(&app, SUPPORT, Role::Support).await;
    assert_eq!(
        staff_call(&app, &mut support, "admin/assign", id, &[("take", "true")])
            .await
            .status,
        200
    );
    let asked = staff_call(
        &app,
        &mut support,
        "admin/ask_info",
        id,
        &[("body", "Wat is je functie nu?")],
    )
    .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert_eq!(
        thread(&app, &mut customer, id).await["item"]["stage"],
        "waiting"
    );
    let (_, queue) = json(&mut support, &app, "/api/admin/queue?status=waiting&mine=1").await;
    assert_eq!(queue["items"][0]["id"], id);

    let answer = customer
        .call(
            &app,
            "requests/message",
            &[("lang", "nl"), ("id", &id.to_string()), ("body", "Inkoper")],
            Via::Script,
            "/nl/requests",
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let seen = thread(&app, &mut customer, id).await;
    assert_eq!(seen["item"]["stage"], "open");
    assert_eq!(
        seen["events"]
            .as_array()
            .and_then(|e| e.last())
            .expect("a message")["body"],
        "Inkoper"
    );
    let subject = format!("Nieuw bericht bij verzoek {id}");
    assert_eq!(
        arrived(&app, SUPPORT, &subject).await,
        1,
        "the assigned staff member is told"
    );
}

#[tokio::test]
async fn a_refusal_carries_the_reasons_the_right_to_complain_and_to_go_to_court_and_a_withdrawn_request_stays_withdrawn()
 {
    let app = spawn_app().await;
    let mut customer = signed_in_customer(&app, "weigering@voorbeeld.example").await;
    let id = file(&app, &mut customer, "restriction", "Stop alles").await;
    let mut support = signed_in_staff(&app, SUPPORT, Role::Support).await;
    let empty = staff_call(&app, &mut support, "admin/refuse", id, &[("reason", "")]).await;
    assert_eq!(empty.status, 422);
    let refused = staff_call(
        &app,
        &mut support,
        "admin/refuse",
        id,
        &[("reason", "De facturen moeten we bewaren.")],
    )
    .await;
    assert_eq!(refused.status, 200, "{}", refused.body);
    let seen = thread(&app, &mut customer, id).await;
    assert_eq!(seen["item"]["stage"], "refused");
    let body = seen["events"]
        .as_array()
        .and_then(|e| e.last())
        .expect("the refusal")["body"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(body.starts_with("De facturen moeten we bewaren."), "{body}");
    assert!(
        body.contains("Autoriteit Persoonsgegevens") && body.contains("rechter"),
        "{body}"
    );

    let other = file(&app, &mut customer, "question", "Laat maar").await;
    let fields = [("lang", "nl"), ("id", &*other.to_string())];
    let cancelled = customer
        .call(
            &app,
            "requests/cancel",
            &fields,
            Via::Script,
            "/nl/requests",
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    assert_eq!(
        thread(&app, &mut customer, other).await["item"]["stage"],
        "cancelled"
    );
    let before = stored(&app, other).await;
    let again = customer
        .call(
            &app,
            "requests/cancel",
            &fields,
            Via::Script,
            "/nl/requests",
        )
        .await;
    assert_eq!(again.status, 409);
    let reply = staff_call(
        &app,
        &mut support,
        "admin/reply",
        other,
        &[("body", "Toch nog iets")],
    )
    .await;
    assert_eq!(reply.status, 409);
    assert_eq!(stored(&app, other).await, before, "nothing changed");
}

#[tokio::test]
async fn without_javascript_a_message_with_no_text_comes_back_with_a_field_message_and_a_good_one_lands_on_the_request()
 {
    let app = spawn_app().await;
    let mut customer = signed_in_customer(&app, "zonderjs@voorbeeld.example").await;
    let id = file(&app, &mut customer, "question", "Een vraag").await;
    let page = format!("/nl/requests/{id}");
    let fields = [("lang", "nl"), ("id", &*id.to_string()), ("body", "")];
    let refused = customer
        .call(&app, "requests/message", &fields, Via::Form, &page)
        .await;
    let back = refused.location.expect("sent back");
    let back = back.strip_prefix(&app.address).unwrap_or(&back);
    assert!(back.starts_with(&page), "{back}");
    let shown = customer.get(&app, back).await;
    assert!(
        shown
            .body
            .contains("Schrijf hier wat je ons wilt vragen of laten weten."),
        "a field message"
    );
    let fields = [
        ("lang", "nl"),
        ("id", &*id.to_string()),
        ("body", "Nog een detail"),
    ];
    let sent = customer
        .call(&app, "requests/message", &fields, Via::Form, &page)
        .await;
    assert_eq!(
        sent.location.as_deref(),
        Some(&*format!("{page}?notice=message-sent"))
    );
    let shown = customer
        .get(&app, &format!("{page}?notice=message-sent"))
        .await;
    assert!(
        shown.body.contains("Nog een detail") && shown.body.contains("Je bericht is verstuurd.")
    );
}

#[tokio::test]
async fn staff_notices_say_what_happened_and_an_empty_answer_asks_for_the_words_to_the_customer() {
    let app = spawn_app().await;
    let mut customer = signed_in_customer(&app, "balie@voorbeeld.example").await;
    let id = file(&app, &mut customer, "question", "Wat bewaren jullie?").await;
    let mut support = signed_in_staff(&app, SUPPORT, Role::Support).await;
    let page = format!("/nl/admin/requests/{id}");
    let id = id.to_string();

    // Taking a request on sends nothing, and the notice says so.
    let fields = [("lang", "nl"), ("id", id.as_str()), ("take", "true")];
    let taken = support
        .call(&app, "admin/assign", &fields, Via::Form, &page)
        .await;
    let back = taken.location.expect("sent back");
    let back = back.strip_prefix(&app.address).unwrap_or(&back).to_owned();
    assert!(back.ends_with("?notice=request-taken"), "{back}");
    let shown = support.get(&app, &back).await.body;
    assert!(
        shown.contains("Je behandelt dit verzoek nu. Er is niets naar de klant gestuurd."),
        "the notice"
    );
    assert!(
        !shown.contains("Opgeslagen en verstuurd"),
        "nothing was sent"
    );

    // An empty answer gets staff's words, not the customer's "what you want to ask us".
    let fields = [("lang", "nl"), ("id", id.as_str()), ("body", "")];
    let refused = support
        .call(&app, "admin/complete", &fields, Via::Form, &page)
        .await;
    let back = refused.location.expect("sent back");
    let back = back.strip_prefix(&app.address).unwrap_or(&back).to_owned();
    let shown = support.get(&app, &back).await.body;
    assert!(
        shown.contains("Schrijf hier de tekst voor de klant"),
        "staff's wording"
    );
    assert!(
        !shown.contains("Schrijf hier wat je ons wilt vragen"),
        "not the customer's"
    );
}

#[tokio::test]
async fn the_same_moment_reads_the_same_local_time_in_words_on_my_data_and_on_the_request_page() {
    use chrono::Datelike;
    let app = spawn_app().await;
    let mut customer = signed_in_customer(&app, "klok@voorbeeld.example").await;
    let local = || chrono::Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam);
    let before = local();
    let id = file(&app, &mut customer, "question", "Hoe laat is het?").await;
    let after = local();
    // Written out here, not by the code under test.
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let written = |t: chrono::DateTime<chrono_tz::Tz>| {
        format!(
            "{} {} {} om {}",
            t.day(),
            MONTHS[t.month0() as usize],
            t.year(),
            t.format("%H:%M")
        )
    };
    let moments = [written(before), written(after)];
    let my_data = customer.get(&app, "/nl/my-data").await.body;
    let request = customer.get(&app, &format!("/nl/requests/{id}")).await.body;
    for (name, page) in [("my-data", &my_data), ("request", &request)] {
        assert!(
            moments.iter().any(|m| page.contains(m.as_str())),
            "{name} shows the filing at {moments:?}, Amsterdam time"
        );
        assert!(!page.contains(" UTC"), "{name} shows no UTC clock");
    }
}
