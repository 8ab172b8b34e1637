//! The bodies of the portal's server functions (`#[server]` in `app/src/api`), read the way the
//! server reads them.
//!
//! Input: the server function's endpoint on the first line (`account/sign_in`; an unknown one
//! picks a registered function by its hash), then the url-encoded arguments: the POST body, or
//! the query string of the GET ones.
//!
//! 1. Every registered server function (from server_fn's registry, so a new one is fuzzed
//!    without touching this file): the request goes through `leptos_axum::handle_server_fns`,
//!    the handler the portal routes `/api/…` to: it finds the function by path and method,
//!    decodes its arguments (server_fn's `PostUrl`/`GetUrl` codecs: serde_qs) and runs the
//!    function's body. No services are provided here, so a body stops at its first service
//!    (the session, the database); the parsing before that runs as in production.
//! 2. For the server functions whose argument types `app` exports, the same request is decoded
//!    with the codec's own `FromReq` (what `handle_server_fns` calls), then:
//!    - what the client sends for the decoded value (serde_qs, as the browser's `IntoReq`
//!      encodes it) decodes to the same value;
//!    - the handler's own parsing (`app::api::account::parse`: e-mail, new password, both at
//!      once, the language, the page to return to; the domain's profile, role, request kind and
//!      statement) keeps its promises, among them that the page a form returns to is on the
//!      portal's own origin as a browser resolves it (no open redirect).

#![no_main]

use app::api::{
    AppError,
    account::{self, parse},
    consent::ChooseCookies,
    erasure::DeleteAccount,
    my_data::{CorrectAtProvider, CorrectProfile, FileRequest},
    requests::{AddMessage, AdminAskInfo, AdminComplete, AdminExtend, AdminRefuse, AdminReply},
};
use axum::body::Body;
use domain::{EmailAddress, Lang, Profile, ProfileInput, RequestKind, Role, request::statement};
use leptos::server_fn::codec::{FromReq, PostUrl};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use std::{fmt::Debug, sync::OnceLock};

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// Every registered server function's path and method, in a stable order.
fn registry() -> &'static [(String, http::Method)] {
    static REGISTRY: OnceLock<Vec<(String, http::Method)>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut all: Vec<_> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, method)| (path.to_owned(), method))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(
            all.len() >= 40,
            "the registry holds the app's server functions: {all:?}"
        );
        all
    })
}

/// The request as the browser sends it: a url-encoded POST body, or the GET query string.
fn request(path: &str, method: &http::Method, args: &[u8]) -> Option<http::Request<Body>> {
    let builder = http::Request::builder().method(method.clone());
    if method == http::Method::GET {
        let query = std::str::from_utf8(args).ok()?;
        let uri = http::Uri::try_from(format!("{path}?{query}")).ok()?;
        builder.uri(uri).body(Body::empty()).ok()
    } else {
        builder
            .uri(path)
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(Body::from(args.to_vec()))
            .ok()
    }
}

fuzz_target!(|data: &[u8]| {
    let (first, args) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let all = registry();
    let wanted = format!("/api/{}", String::from_utf8_lossy(first));
    let (path, method) = all
        .iter()
        .find(|(path, _)| *path == wanted)
        .unwrap_or_else(|| {
            let hash = first
                .iter()
                .fold(0usize, |h, &b| h.wrapping_mul(31).wrapping_add(b.into()));
            &all[hash % all.len()]
        });

    // 1. The portal's handler for /api/…, as routed.
    if let Some(request) = request(path, method, args) {
        use axum::response::IntoResponse;
        let response = runtime()
            .block_on(leptos_axum::handle_server_fns(request))
            .into_response();
        assert!(
            !response.status().is_informational(),
            "{path}: {}",
            response.status()
        );
    }

    // 2. The exported argument types, decoded by their codec.
    typed(path.strip_prefix("/api/").unwrap_or(path), args);
});

/// Decodes `args` as `T` with codec `C` the way server_fn does for a real request.
fn decode<T, C>(method: &http::Method, path: &str, args: &[u8]) -> Option<T>
where
    T: FromReq<C, http::Request<Body>, AppError>,
{
    let request = request(path, method, args)?;
    runtime().block_on(T::from_req(request)).ok()
}

/// Decodes, checks that what the client would send for the value decodes to it again, and
/// hands the value to `then` (the handler's parsing).
fn post<T>(endpoint: &str, args: &[u8], then: impl FnOnce(T))
where
    T: FromReq<PostUrl, http::Request<Body>, AppError> + Serialize + Debug,
{
    let path = format!("/api/{endpoint}");
    let Some(value) = decode::<T, PostUrl>(&http::Method::POST, &path, args) else {
        return;
    };
    // What the browser's `IntoReq` sends for this value (serde_qs, as server_fn encodes).
    if let Ok(sent) = serde_qs::to_string(&value) {
        let again = decode::<T, PostUrl>(&http::Method::POST, &path, sent.as_bytes());
        assert_eq!(
            format!("{again:?}"),
            format!("{:?}", Some(&value)),
            "{endpoint}: {sent:?} does not read back"
        );
    }
    then(value);
}

/// What the page a form returns to resolves to in a browser: it must stay on the portal.
fn stays_on_the_portal(next: &str, lang: Lang) {
    let page = parse::next_page(next, lang);
    // `leptos_axum::redirect` sets no Location header it cannot make.
    if http::HeaderValue::from_str(&page).is_err() {
        return;
    }
    let base =
        url::Url::parse("https://portal.example/nl/account/confirm-identity").expect("a URL");
    if let Ok(target) = base.join(&page) {
        assert_eq!(
            target.origin(),
            base.origin(),
            "next = {next:?} redirects to {target}"
        );
    }
}

fn email_field(input: &str) {
    match parse::email(input) {
        Ok(email) => {
            assert_eq!(EmailAddress::parse(input).as_ref(), Ok(&email));
            assert_eq!(parse::email(email.as_str()).ok().as_ref(), Some(&email));
        }
        Err(AppError::Invalid(problems)) => {
            assert!(problems.iter().all(|p| p.field == "email"));
            assert!(!problems.is_empty());
        }
        Err(other) => panic!("an e-mail field fails as {other:?}"),
    }
}

fn new_password_field(input: &str) {
    match parse::new_password(input.to_owned()) {
        Ok(password) => assert_eq!(password.expose(), input),
        Err(AppError::Invalid(problems)) => {
            assert!(problems.iter().all(|p| p.field == "password"));
        }
        Err(other) => panic!("a password field fails as {other:?}"),
    }
}

fn both_fields(email: &str, password: &str) {
    let both = parse::both(
        parse::email(email),
        parse::new_password(password.to_owned()),
    );
    let (email_ok, password_ok) = (
        parse::email(email).is_ok(),
        parse::new_password(password.to_owned()).is_ok(),
    );
    match both {
        Ok(_) => assert!(email_ok && password_ok),
        Err(AppError::Invalid(problems)) => {
            assert_eq!(
                problems.len(),
                usize::from(!email_ok) + usize::from(!password_ok),
                "every field's problem at once"
            );
        }
        Err(other) => panic!("two fields fail as {other:?}"),
    }
}

fn statement_field(text: &str) {
    if let Ok(statement) = statement(text) {
        assert_eq!(statement.trim(), statement);
        assert!(!statement.is_empty());
    }
}

fn typed(endpoint: &str, args: &[u8]) {
    match endpoint {
        "account/sign_in" => post(endpoint, args, |v: account::SignIn| {
            let _ = parse::lang(&v.lang);
            email_field(&v.email);
        }),
        "account/register" => post(endpoint, args, |v: account::Register| {
            email_field(&v.email);
            new_password_field(&v.password);
            both_fields(&v.email, &v.password);
        }),
        "admin/create_staff" => post(endpoint, args, |v: account::CreateStaffAccount| {
            both_fields(&v.email, &v.password);
            if let Ok(role) = v.role.parse::<Role>() {
                assert_eq!(role.as_str(), v.role);
            }
        }),
        "account/forgot_password" => post(endpoint, args, |v: account::ForgotPassword| {
            email_field(&v.email);
        }),
        "account/change_email" => post(endpoint, args, |v: account::ChangeEmail| {
            email_field(&v.email);
        }),
        "account/reset_password" => post(endpoint, args, |v: account::ResetPassword| {
            new_password_field(&v.password);
        }),
        "account/change_password" => post(endpoint, args, |v: account::ChangePassword| {
            new_password_field(&v.password);
        }),
        "account/confirm_identity" => post(endpoint, args, |v: account::ConfirmIdentity| {
            stays_on_the_portal(&v.next, parse::lang(&v.lang));
        }),
        "account/sign_in_code" => post(endpoint, args, |v: account::SignInCode| {
            let _ = parse::lang(&v.lang);
        }),
        "account/enable_two_step" => post(endpoint, args, |v: account::EnableTwoStep| {
            let _ = parse::lang(&v.lang);
        }),
        "account/sign_out" => post(endpoint, args, |v: account::SignOut| {
            let _ = parse::lang(&v.lang);
        }),
        "cookies/choose" => post(endpoint, args, |v: ChooseCookies| {
            let _ = Lang::from_code(&v.lang);
        }),
        "my_data/delete_account" => post(endpoint, args, |v: DeleteAccount| {
            let _ = Lang::from_code(&v.lang);
        }),
        "my_data/correct_profile" => post(endpoint, args, |v: CorrectProfile| {
            let input = ProfileInput {
                name: v.name,
                phone: v.phone,
                company: v.company,
                job_title: v.job_title,
                street: v.street,
                postcode: v.postcode,
                city: v.city,
                country: v.country,
            };
            if let Ok(profile) = Profile::parse(&input) {
                let again = ProfileInput::from(&profile);
                assert_eq!(Profile::parse(&again).as_ref(), Ok(&profile));
            }
        }),
        "my_data/correct_at_provider" => post(endpoint, args, |v: CorrectAtProvider| {
            let _ = (v.record_id, v.field, v.value);
        }),
        "my_data/file_request" => post(endpoint, args, |v: FileRequest| {
            if let Some(kind) = RequestKind::parse(&v.kind) {
                assert_eq!(kind.as_str(), v.kind);
            }
            statement_field(&v.details);
        }),
        "requests/message" => post(endpoint, args, |v: AddMessage| statement_field(&v.body)),
        "admin/reply" => post(endpoint, args, |v: AdminReply| statement_field(&v.body)),
        "admin/ask_info" => post(endpoint, args, |v: AdminAskInfo| statement_field(&v.body)),
        "admin/complete" => post(endpoint, args, |v: AdminComplete| statement_field(&v.body)),
        "admin/refuse" => post(endpoint, args, |v: AdminRefuse| statement_field(&v.reason)),
        "admin/extend" => post(endpoint, args, |v: AdminExtend| {
            statement_field(&v.reason);
            let _ = v.months.trim().parse::<u32>();
        }),
        // The GET functions' argument types are not exported: (1) decodes them.
        _ => {}
    }
}
