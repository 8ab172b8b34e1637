//! The provider adapter reading the wholesale provider's answers: `provider::read_answer`, the
//! function `HttpProvider` hands every HTTP response to, with an arbitrary status, `Retry-After`
//! header and body, decoded as each of the contract's answer types. Each input is read twice:
//! as text (status, `Retry-After` and body on lines: the seeds are the contract's examples), and
//! through `arbitrary` as a well-formed answer built from arbitrary values (so the fuzzer also
//! explores what the contract allows, not only broken JSON).
//!
//! Checked: nothing panics; a 2xx body is the contract's type exactly when serde says so, and a
//! well-formed answer reads back as what was sent; 429 and 5xx are "unavailable" with a wait the
//! job runner can add to the clock; any other status "needs attention" with the problem's code.
//! Also the provider's ids the portal stores and sends back (`SubscriberId`, `IdempotencyKey`).

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use provider::{
    ProviderError,
    model::{
        Accepted, Applied, DataPage, DataRecord, IdempotencyKey, Operation, OperationStatus,
        Problem, ProviderInfo, RecordKind, SubProcessor, SubscriberId,
    },
    read_answer,
};
use serde::{Serialize, de::DeserializeOwned};
use std::{fmt::Debug, sync::OnceLock};

#[derive(Arbitrary, Debug)]
struct Answer {
    status: u16,
    retry_after: Option<RetryAfter>,
    body: Body,
}

#[derive(Arbitrary, Debug)]
enum RetryAfter {
    Seconds(u64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A record: its kind (by number), its id and its fields.
type Record = (u8, String, Vec<(String, String)>);

#[derive(Arbitrary, Debug)]
enum Body {
    Raw(Vec<u8>),
    Text(String),
    Info {
        name: String,
        sub_processors: Vec<(String, String, String)>,
    },
    Page {
        records: Vec<Record>,
        next_page: Option<String>,
    },
    Applied(u32),
    Accepted(String),
    Operation {
        id: String,
        status: u8,
        error: Option<String>,
    },
    Problem {
        code: String,
        message: String,
    },
}

/// A well-formed answer of one of the contract's types, and its JSON.
enum Sent {
    Info(ProviderInfo),
    Page(DataPage),
    Applied(Applied),
    Accepted(Accepted),
    Operation(Operation),
    Problem(Problem),
}

fn kind(n: u8) -> RecordKind {
    use RecordKind::*;
    [Number, Service, Directory, Sim, Porting, Usage][usize::from(n) % 6]
}

impl Body {
    fn into_parts(self) -> (Vec<u8>, Option<Sent>) {
        let sent = match self {
            Body::Raw(bytes) => return (bytes, None),
            Body::Text(text) => return (text.into_bytes(), None),
            Body::Info {
                name,
                sub_processors,
            } => Sent::Info(ProviderInfo {
                name,
                sub_processors: sub_processors
                    .into_iter()
                    .map(|(name, purpose, location)| SubProcessor {
                        name,
                        purpose,
                        location,
                    })
                    .collect(),
            }),
            Body::Page { records, next_page } => Sent::Page(DataPage {
                records: records
                    .into_iter()
                    .map(|(k, id, fields)| DataRecord {
                        kind: kind(k),
                        id,
                        fields: fields.into_iter().collect(),
                    })
                    .collect(),
                next_page,
            }),
            Body::Applied(applied) => Sent::Applied(Applied { applied }),
            Body::Accepted(operation_id) => Sent::Accepted(Accepted { operation_id }),
            Body::Operation { id, status, error } => Sent::Operation(Operation {
                id,
                status: [
                    OperationStatus::Pending,
                    OperationStatus::Done,
                    OperationStatus::Failed,
                ][usize::from(status) % 3],
                error,
            }),
            Body::Problem { code, message } => Sent::Problem(Problem { code, message }),
        };
        let json = match &sent {
            Sent::Info(v) => serde_json::to_vec(v),
            Sent::Page(v) => serde_json::to_vec(v),
            Sent::Applied(v) => serde_json::to_vec(v),
            Sent::Accepted(v) => serde_json::to_vec(v),
            Sent::Operation(v) => serde_json::to_vec(v),
            Sent::Problem(v) => serde_json::to_vec(v),
        }
        .expect("the contract's types serialize");
        (json, Some(sent))
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

/// The answer as reqwest hands it to the adapter.
fn response(
    status: http::StatusCode,
    retry_after: Option<&http::HeaderValue>,
    body: &[u8],
) -> reqwest::Response {
    let mut answer = http::Response::new(body.to_vec());
    *answer.status_mut() = status;
    answer.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    if let Some(value) = retry_after {
        answer
            .headers_mut()
            .insert(http::header::RETRY_AFTER, value.clone());
    }
    reqwest::Response::from(answer)
}

/// Reads the answer as `T` and checks what `read_answer` promises for it.
fn check<T: DeserializeOwned + Serialize + PartialEq + Debug>(
    status: http::StatusCode,
    retry_after: Option<&http::HeaderValue>,
    body: &[u8],
    sent: Option<&T>,
) {
    let result = runtime().block_on(read_answer::<T>(response(status, retry_after, body)));
    if status.is_success() {
        let direct = serde_json::from_slice::<T>(body);
        match (&result, direct) {
            (Ok(read), Ok(direct)) => assert_eq!(read, &direct),
            (Err(ProviderError::Contract(_)), Err(_)) => {}
            (result, direct) => panic!("read {result:?}, serde {direct:?}"),
        }
        if let Some(sent) = sent {
            assert_eq!(
                result.as_ref().ok(),
                Some(sent),
                "a well-formed answer reads back"
            );
        }
        return;
    }
    let status_code = status.as_u16();
    match result {
        Err(ProviderError::Unavailable {
            reason,
            retry_after: asked,
        }) => {
            assert!(status_code == 429 || status.is_server_error());
            assert_eq!(reason, status_code.to_string());
            if let Some(asked) = asked {
                // The job runner waits at least this long: `now + asked` must be a time.
                let later = chrono::Duration::from_std(asked)
                    .ok()
                    .and_then(|asked| chrono::Utc::now().checked_add_signed(asked));
                assert!(later.is_some(), "Retry-After {asked:?} overflows the clock");
            }
        }
        Err(ProviderError::NeedsAttention { status: s, code }) => {
            assert!(!(status_code == 429 || status.is_server_error()));
            assert_eq!(s, status_code);
            let problem = serde_json::from_slice::<Problem>(body);
            assert_eq!(code, problem.map_or_else(|_| "unknown".into(), |p| p.code));
        }
        other => panic!("status {status_code}: {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    raw(data);
    if let Ok(answer) = Answer::arbitrary_take_rest(arbitrary::Unstructured::new(data)) {
        structured(answer);
    }
});

/// The answer as text: the status on the first line, `Retry-After` on the second (empty: none),
/// the body after that (the seeds are the contract's examples in this form).
fn raw(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == b'\n');
    let status = parts.next().unwrap_or_default();
    let retry_after = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let Some(status) = std::str::from_utf8(status)
        .ok()
        .and_then(|s| s.trim().parse::<u16>().ok())
        .and_then(|s| http::StatusCode::from_u16(s).ok())
    else {
        return;
    };
    let retry_after = (!retry_after.is_empty())
        .then(|| http::HeaderValue::from_bytes(retry_after).ok())
        .flatten();
    every_type(status, retry_after.as_ref(), body, None);
}

fn structured(answer: Answer) {
    let Ok(status) = http::StatusCode::from_u16(answer.status) else {
        return; // not a status hyper would hand over
    };
    let retry_after = match answer.retry_after {
        None => None,
        Some(RetryAfter::Seconds(s)) => Some(http::HeaderValue::from(s)),
        Some(RetryAfter::Text(t)) => http::HeaderValue::from_str(&t).ok(),
        Some(RetryAfter::Bytes(b)) => http::HeaderValue::from_bytes(&b).ok(),
    };
    let (body, sent) = answer.body.into_parts();
    every_type(status, retry_after.as_ref(), &body, sent.as_ref());
}

/// Reads the answer as each of the contract's answer types.
fn every_type(
    status: http::StatusCode,
    ra: Option<&http::HeaderValue>,
    body: &[u8],
    sent: Option<&Sent>,
) {
    macro_rules! each {
        ($($variant:ident => $ty:ty),* $(,)?) => {
            $(
                let expected = match sent {
                    Some(Sent::$variant(v)) => Some(v),
                    _ => None,
                };
                check::<$ty>(status, ra, body, expected);
            )*
        };
    }
    each!(
        Info => ProviderInfo,
        Page => DataPage,
        Applied => Applied,
        Accepted => Accepted,
        Operation => Operation,
        Problem => Problem,
    );

    // Ids out of the provider's answers, as the portal stores and reuses them.
    if let Ok(text) = std::str::from_utf8(body) {
        if let Ok(id) = SubscriberId::parse(text) {
            assert_eq!(id.as_str(), text);
            assert_eq!(SubscriberId::parse(&id.to_string()), Ok(id));
        }
        if let Some(key) = IdempotencyKey::new(text) {
            assert_eq!(key.as_str(), text);
            assert!(
                http::HeaderValue::from_str(key.as_str()).is_ok(),
                "a header value"
            );
        }
    }
}
