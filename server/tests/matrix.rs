//! The generated authorization matrix (ASVS V8.2.1, V8.2.2): every server function in the
//! registry, and the export download, called signed out, by customer A on A's own things, by
//! customer B with A's ids, by a support member and by an admin, each cell's status compared with
//! the table below. A server function missing from the table fails the test, so a new one cannot
//! be left out. Afterwards nothing of A's has changed through B: no row of A's was changed or
//! removed, A's record at the provider is as it was, and no answer to B held A's address or words.

mod common;

use common::{
    TestApp,
    browser::{Browser, PASSWORD, Via, signed_in_customer, signed_in_staff},
    signed_in_subscriber, spawn_beside,
};
use domain::Role;
use leptos::server_fn::axum::server_fn_paths;
use provider_sim::{Faults, testing::StandIn};
use std::{
    collections::{BTreeMap, BTreeSet},
    sync::atomic::{AtomicUsize, Ordering},
};

const ANNA: &str = "anna@matrix-a.example";
const BOB: &str = "bob@matrix-b.example";
/// Words only Anna wrote: no answer to anybody else may hold them but the staff's.
const ANNAS_WORDS: &str = "Anna-schrijft-geheim-7731";

/// The callers, in the order each row calls them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Anonymous,
    /// Customer B, with customer A's ids.
    OtherCustomer,
    Support,
    Admin,
    /// Customer A, on A's own things.
    Owner,
}

const CALLERS: [Caller; 5] = [
    Caller::Anonymous,
    Caller::OtherCustomer,
    Caller::Support,
    Caller::Admin,
    Caller::Owner,
];

/// Expected status per caller: anonymous, B with A's ids, support, admin, A.
///
/// How to read it: 401 no session; 403 not this role's; 404 no such thing *for this caller*
/// (another person's id answers as a missing one); 409 not in a state for that; 422 a field's
/// message; 400 an argument that does not parse.
const MATRIX: &[(&str, [u16; 5])] = &[
    // Public: anyone.
    ("/api/public_facts", [200, 200, 200, 200, 200]),
    ("/api/account/me", [200, 200, 200, 200, 200]),
    ("/api/account/register", [200, 200, 200, 200, 200]),
    // The address this browser registered with (none here), and sending its mail again.
    ("/api/account/known_address", [200, 200, 200, 200, 200]),
    (
        "/api/account/resend_confirmation",
        [200, 200, 200, 200, 200],
    ),
    ("/api/account/sign_in", [422, 422, 422, 422, 422]),
    ("/api/account/forgot_password", [200, 200, 200, 200, 200]),
    ("/api/account/reset_password", [422, 422, 422, 422, 422]),
    ("/api/cookies/choose", [200, 200, 200, 200, 200]),
    ("/api/cookies/statement", [200, 200, 200, 200, 200]),
    // A status link's token that is no erasure's: the page's "no such deletion" view.
    ("/api/deletion_status", [200, 200, 200, 200, 200]),
    // The signed-in person's own account.
    ("/api/account/sessions", [401, 200, 200, 200, 200]),
    ("/api/account/end_other_sessions", [401, 200, 200, 200, 200]),
    ("/api/account/change_email", [401, 200, 200, 200, 200]),
    ("/api/account/change_password", [401, 200, 200, 200, 200]),
    // Staff confirm with their two-step code too: without it, its field's message.
    ("/api/account/confirm_identity", [401, 200, 422, 422, 200]),
    // Only between the password and the code of a two-step sign-in.
    ("/api/account/sign_in_code", [401, 401, 401, 401, 401]),
    ("/api/account/two_step_setup", [401, 200, 200, 200, 200]),
    ("/api/account/enable_two_step", [401, 422, 422, 422, 422]),
    // Staff may not turn two-step sign-in off; a customer without it changes nothing.
    ("/api/account/disable_two_step", [401, 200, 403, 403, 200]),
    ("/api/account/sign_out", [200, 200, 200, 200, 200]),
    // The signed-in person's own data.
    ("/api/my_data", [401, 200, 200, 200, 200]),
    ("/api/my_data/profile", [401, 200, 200, 200, 200]),
    // Version 1 is nobody's current version: the stale-form answer, past the guard.
    ("/api/my_data/correct_profile", [401, 409, 409, 409, 409]),
    (
        "/api/my_data/correct_at_provider",
        [401, 200, 403, 403, 200],
    ),
    ("/api/my_data/direct_marketing", [401, 200, 200, 200, 200]),
    ("/api/my_data/file_request", [401, 200, 200, 200, 200]),
    ("/api/my_data/export", [401, 200, 200, 200, 200]),
    ("/api/my_data/exports", [401, 200, 200, 200, 200]),
    ("/api/my_data/deletion_plan", [401, 200, 200, 200, 200]),
    ("/api/my_data/delete_account", [401, 200, 403, 403, 200]),
    ("/api/provider/requests", [401, 200, 200, 200, 200]),
    ("/api/provider/unlist", [401, 200, 403, 403, 200]),
    // The holder's requests, by id.
    ("/api/requests/mine", [401, 200, 200, 200, 200]),
    ("/api/requests/one", [401, 404, 404, 404, 200]),
    ("/api/requests/message", [401, 404, 404, 404, 200]),
    ("/api/requests/cancel", [401, 404, 404, 404, 200]),
    // The export download (a route, not a server function), by id.
    // Signed out: to the sign-in page, whatever the id.
    (
        "/nl/my-data/export/{export}/download",
        [303, 404, 404, 404, 200],
    ),
    // Staff: the request work (support and admins).
    ("/api/admin/queue", [401, 403, 200, 200, 403]),
    ("/api/admin/request", [401, 403, 200, 200, 403]),
    ("/api/admin/assign", [401, 403, 200, 200, 403]),
    ("/api/admin/reply", [401, 403, 200, 200, 403]),
    ("/api/admin/ask_info", [401, 403, 200, 200, 403]),
    ("/api/admin/extend", [401, 403, 200, 200, 403]),
    ("/api/admin/complete", [401, 403, 200, 200, 403]),
    ("/api/admin/refuse", [401, 403, 200, 200, 403]),
    ("/api/admin/answer_disclosure", [401, 403, 200, 200, 403]),
    // The job is not a parked job of that request's person.
    ("/api/admin/retry_job", [401, 403, 404, 404, 403]),
    // Admins only.
    ("/api/admin/audit", [401, 403, 403, 200, 403]),
    ("/api/admin/page_views", [401, 403, 403, 200, 403]),
    ("/api/admin/staff", [401, 403, 403, 200, 403]),
    ("/api/admin/create_staff", [401, 403, 403, 200, 403]),
    ("/api/admin/retention", [401, 403, 403, 200, 403]),
];

/// Rows whose call ends or changes the caller's session or account: each caller makes them
/// as a fresh person of the same role, so the rows after them still have theirs.
const FRESH_CALLER: &[&str] = &[
    "/api/account/sign_out",
    "/api/account/change_password",
    "/api/my_data/delete_account",
    "/api/account/disable_two_step",
    "/api/account/change_email",
];

/// A's things whose ids the rows use.
struct Ids {
    export: String,
    job: i64,
}

static FRESH: AtomicUsize = AtomicUsize::new(0);

fn fresh_address(role: &str) -> String {
    format!(
        "{role}-{}@matrix-fresh.example",
        FRESH.fetch_add(1, Ordering::Relaxed)
    )
}

/// The arguments of one row, with `request` standing for a request of A's made for this call.
fn arguments(path: &str, request: i64, ids: &Ids) -> Vec<(&'static str, String)> {
    let id = ("id", request.to_string());
    let lang = ("lang", "nl".to_owned());
    let text = |name: &'static str| (name, format!("Een tekst voor de matrix ({name})"));
    let set = |pairs: &[(&'static str, &str)]| {
        pairs
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned()))
            .collect::<Vec<_>>()
    };
    let mut args = match path.trim_start_matches("/api/") {
        "public_facts"
        | "account/me"
        | "account/sessions"
        | "account/two_step_setup"
        | "my_data/profile"
        | "requests/mine"
        | "admin/audit"
        | "admin/page_views"
        | "admin/staff" => vec![],
        "account/register" => vec![
            ("email", fresh_address("nieuw")),
            ("password", PASSWORD.to_owned()),
        ],
        "account/sign_in" => set(&[
            ("email", "niemand@matrix-fresh.example"),
            ("password", "Verkeerd-Wachtwoord-Lang-1"),
        ]),
        "account/forgot_password" => set(&[("email", "niemand@matrix-fresh.example")]),
        "account/reset_password" => set(&[("password", "Nieuw-Wachtwoord-Lang-42")]),
        "account/change_email" => vec![("email", fresh_address("nieuw-adres"))],
        "account/change_password" => set(&[
            ("current", PASSWORD),
            ("password", "Nieuw-Wachtwoord-Lang-42"),
        ]),
        "account/confirm_identity" => set(&[("password", PASSWORD), ("next", "/nl/account")]),
        "account/sign_in_code" | "account/enable_two_step" => set(&[("code", "000000")]),
        "account/end_other_sessions"
        | "account/disable_two_step"
        | "account/sign_out"
        | "account/known_address"
        | "account/resend_confirmation" => vec![],
        "cookies/choose" => set(&[("answer", "reject"), ("method", "banner")]),
        "cookies/statement" | "my_data" | "my_data/exports" | "my_data/deletion_plan" => vec![],
        "deletion_status" => set(&[("token", "geen-echte-status-sleutel")]),
        "my_data/correct_profile" => set(&[("version", "1"), ("city", "Zaandam")]),
        "my_data/correct_at_provider" => set(&[
            ("record_id", "OO-100001-dir-1"),
            ("field", "city"),
            ("value", "Zaandam"),
        ]),
        "my_data/direct_marketing" => set(&[("object", "true")]),
        "my_data/file_request" => vec![("kind", "question".to_owned()), text("details")],
        "my_data/export" => vec![],
        "my_data/delete_account" => set(&[("confirm", "yes"), ("when", "later")]),
        "provider/requests" | "provider/unlist" => vec![],
        "requests/one" | "requests/cancel" | "admin/request" | "admin/answer_disclosure" => {
            vec![id]
        }
        "requests/message" | "admin/reply" | "admin/ask_info" | "admin/complete" => {
            vec![id, text("body")]
        }
        "admin/assign" => vec![id, ("take", "true".to_owned())],
        "admin/extend" => vec![id, ("months", "1".to_owned()), text("reason")],
        "admin/refuse" => vec![id, text("reason")],
        "admin/retry_job" => vec![id, ("job", ids.job.to_string())],
        "admin/queue" => set(&[("status", "open")]),
        "admin/create_staff" => vec![
            ("email", fresh_address("collega")),
            ("role", "support".to_owned()),
            ("password", PASSWORD.to_owned()),
        ],
        "admin/retention" => vec![],
        other if other.contains("/download") => return vec![],
        other => panic!("{other} is a server function the matrix has no arguments for"),
    };
    let takes_no_lang = matches!(
        path,
        "/api/public_facts"
            | "/api/account/me"
            | "/api/account/sessions"
            | "/api/account/two_step_setup"
            | "/api/my_data/profile"
            | "/api/requests/mine"
            | "/api/requests/one"
            | "/api/admin/audit"
            | "/api/admin/page_views"
            | "/api/admin/staff"
            | "/api/admin/queue"
            | "/api/provider/requests"
    );
    if !takes_no_lang {
        args.push(lang);
    }
    args
}

struct Callers {
    anna: Browser,
    bob: Browser,
    support: Browser,
    admin: Browser,
}

impl Callers {
    fn browser(&mut self, caller: Caller) -> Option<&mut Browser> {
        match caller {
            Caller::Anonymous => None,
            Caller::OtherCustomer => Some(&mut self.bob),
            Caller::Support => Some(&mut self.support),
            Caller::Admin => Some(&mut self.admin),
            Caller::Owner => Some(&mut self.anna),
        }
    }
}

/// A new person of the caller's role.
async fn fresh(app: &TestApp, caller: Caller) -> Browser {
    match caller {
        Caller::Anonymous => Browser::default(),
        Caller::OtherCustomer | Caller::Owner => {
            signed_in_customer(app, &fresh_address("klant")).await
        }
        Caller::Support => signed_in_staff(app, &fresh_address("support"), Role::Support).await,
        Caller::Admin => signed_in_staff(app, &fresh_address("beheer"), Role::Admin).await,
    }
}

async fn call(
    app: &TestApp,
    browser: &mut Browser,
    path: &str,
    method: &http::Method,
    args: &[(&'static str, String)],
) -> common::browser::Answer {
    let pairs: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
    if *method == http::Method::GET {
        let query = common::browser::encode(&pairs);
        browser.get(app, &format!("{path}?{query}")).await
    } else {
        let endpoint = path.trim_start_matches("/api/");
        browser
            .call(app, endpoint, &pairs, Via::Script, "/nl/account")
            .await
    }
}

/// A new request of A's, so that no call finds it already answered by the one before.
async fn new_request_of_annas(app: &TestApp, anna: &mut Browser) -> i64 {
    let answer = anna
        .call(
            app,
            "my_data/file_request",
            &[
                ("lang", "nl"),
                ("kind", "provider-identity"),
                ("details", ANNAS_WORDS),
                ("from", "requests"),
            ],
            Via::Script,
            "/nl/requests",
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let mine = anna.get(app, "/api/requests/mine").await;
    let mine: serde_json::Value = serde_json::from_str(&mine.body).expect("JSON");
    mine[0]["id"].as_i64().expect("the new request first")
}

fn column(caller: Caller) -> usize {
    CALLERS
        .iter()
        .position(|c| *c == caller)
        .unwrap_or_default()
}

/// One cell: `caller` calls the row's function (as a new person of its role on the rows that
/// end or change a session), with `request` as the request id.
async fn make_call(
    app: &TestApp,
    callers: &mut Callers,
    caller: Caller,
    path: &str,
    method: &http::Method,
    request: i64,
    ids: &Ids,
) -> common::browser::Answer {
    let args = arguments(path, request, ids);
    let target = path.replace("{export}", &ids.export);
    let answer = if FRESH_CALLER.contains(&path) {
        call(app, &mut fresh(app, caller).await, &target, method, &args).await
    } else {
        match callers.browser(caller) {
            Some(browser) => call(app, browser, &target, method, &args).await,
            None => call(app, &mut Browser::default(), &target, method, &args).await,
        }
    };
    assert!(answer.status < 500, "{caller:?} {path}: {}", answer.body);
    answer
}

#[tokio::test(flavor = "multi_thread")]
async fn asvs_v8_2_1_and_v8_2_2_every_server_function_answers_each_role_as_the_matrix_says_and_b_never_reaches_as_things()
 {
    let stand_in = StandIn::start(Faults::default()).await;
    let app = spawn_beside(&stand_in).await;
    let mut callers = Callers {
        anna: signed_in_subscriber(&app, ANNA, "OO-100001").await,
        bob: signed_in_subscriber(&app, BOB, "OO-100002").await,
        support: signed_in_staff(&app, "support@matrix-staff.example", Role::Support).await,
        admin: signed_in_staff(&app, "beheer@matrix-staff.example", Role::Admin).await,
    };

    // A's export, ready, and a job of A's (the export's) for the retry row.
    let asked = callers
        .anna
        .call(
            &app,
            "my_data/export",
            &[("lang", "nl")],
            Via::Script,
            "/nl/my-data/export",
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    callers
        .anna
        .reload_until(&app, "/nl/my-data/export", &["/download"])
        .await;
    let exports = callers.anna.get(&app, "/api/my_data/exports?lang=nl").await;
    let exports: serde_json::Value = serde_json::from_str(&exports.body).expect("JSON");
    let export = exports["exports"][0]["id"]
        .as_str()
        .expect("the export's id")
        .to_owned();
    let dump = store::testing::dump(app.db.url()).await.expect("a dump");
    let job = dump["jobs"]
        .iter()
        .find(|row| row.contains("export"))
        .and_then(|row| row.split('|').next())
        .and_then(|id| id.parse().ok())
        .expect("the export's job");
    let ids = Ids { export, job };
    let anna_id = store::testing::dump(app.db.url()).await.expect("a dump")["accounts"]
        .iter()
        .find(|row| row.contains(ANNA))
        .and_then(|row| row.split('|').next())
        .expect("Anna's account")
        .to_owned();
    let record_before = common::at_the_stand_in(&stand_in, "OO-100001").await;

    // Every server function, and the download route, in the table; nothing in it that is not.
    let mut rows: Vec<(String, http::Method)> = server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method))
        .collect();
    rows.push((
        "/nl/my-data/export/{export}/download".to_owned(),
        http::Method::GET,
    ));
    let tabled: BTreeSet<&str> = MATRIX.iter().map(|(path, _)| *path).collect();
    let routed: BTreeSet<&str> = rows.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(routed, tabled, "the matrix covers every server function");

    // First B alone, with A's ids, on a request of A's made before: nothing of A's may change.
    let annas_request = new_request_of_annas(&app, &mut callers.anna).await;
    let thread_before = callers
        .anna
        .get(&app, &format!("/api/requests/one?id={annas_request}"))
        .await
        .body;
    let before_b = store::testing::dump(app.db.url()).await.expect("a dump");
    let mut observed: BTreeMap<String, [u16; 5]> = BTreeMap::new();
    for (path, method) in &rows {
        let answer = make_call(
            &app,
            &mut callers,
            Caller::OtherCustomer,
            path,
            method,
            annas_request,
            &ids,
        )
        .await;
        assert!(!answer.body.contains(ANNA), "{path} showed B A's address");
        assert!(
            !answer.body.contains(ANNAS_WORDS),
            "{path} showed B A's words"
        );
        observed.entry(path.clone()).or_default()[column(Caller::OtherCustomer)] = answer.status;
    }
    let after_b = store::testing::dump(app.db.url()).await.expect("a dump");
    for (table, rows) in &before_b {
        for row in rows.iter().filter(|row| row.contains(&anna_id)) {
            assert!(
                after_b[table].contains(row),
                "{table}: B changed or removed A's row {row}"
            );
        }
        for row in after_b[table].iter().filter(|row| !rows.contains(row)) {
            assert!(
                !row.contains(&anna_id),
                "{table}: B's calls wrote a row of A's: {row}"
            );
        }
    }
    assert_eq!(
        callers
            .anna
            .get(&app, &format!("/api/requests/one?id={annas_request}"))
            .await
            .body,
        thread_before,
        "A's request reads as before"
    );
    // Once every job B's calls queued has run, A's record at the provider is as it was.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        common::at_the_stand_in(&stand_in, "OO-100001").await,
        record_before
    );

    // Then everyone else, each call on a new request of A's, so that none finds it already
    // answered by the call before.
    for (path, method) in &rows {
        for caller in CALLERS.into_iter().filter(|c| *c != Caller::OtherCustomer) {
            let request = new_request_of_annas(&app, &mut callers.anna).await;
            let answer = make_call(&app, &mut callers, caller, path, method, request, &ids).await;
            observed.entry(path.clone()).or_default()[column(caller)] = answer.status;
        }
    }

    let expected: BTreeMap<&str, [u16; 5]> = MATRIX.iter().copied().collect();
    let differences: Vec<String> = expected
        .iter()
        .filter(|(path, statuses)| observed.get(**path) != Some(statuses))
        .map(|(path, statuses)| {
            format!(
                "{path}: expected {statuses:?}, got {:?}",
                observed.get(*path)
            )
        })
        .collect();
    assert!(
        differences.is_empty(),
        "callers {CALLERS:?}:\n{}",
        differences.join("\n")
    );
}
