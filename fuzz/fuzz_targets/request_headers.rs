//! What the server reads from every request's headers before any handler runs, with the same
//! functions its middleware calls:
//!
//! - `Accept-Language`: `Lang::from_accept_language` (middleware `negotiate_language`), and the
//!   path's language (`Lang::of_path`);
//! - `Cookie`: split by the cookie guard's own `server::sent_cookies`, the consent cookie's value
//!   (`ConsentCookie::parse`, `Consent::new` with `Sec-GPC`) and the session cookie's value as
//!   tower-sessions reads it (`session::Id`);
//! - `X-Forwarded-For` behind trusted proxies: `server::client::TrustedProxies::client`.
//!
//! Checked: nothing panics; the language is one of ours; a consent or session cookie that is
//! accepted reads back as written; the client's address is the peer unless the peer is a trusted
//! proxy, and otherwise an address from the header.

#![no_main]

use domain::{Consent, ConsentCookie, Lang};
use libfuzzer_sys::fuzz_target;
use std::{net::IpAddr, str::FromStr};
use tower_sessions::session::Id;

/// The input, one line each: the path, `Accept-Language`, `Cookie`, `Sec-GPC`,
/// `X-Forwarded-For`, the peer's address, the trusted proxy networks (comma-separated); further
/// lines are further `Cookie` and `X-Forwarded-For` headers, in turn.
struct Input {
    path: String,
    headers: http::HeaderMap,
    peer: IpAddr,
    proxies: Vec<ipnet::IpNet>,
}

fn input(data: &[u8]) -> Input {
    let mut lines = data.split(|&b| b == b'\n');
    let mut line = || lines.next().unwrap_or_default();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let path = text(line());
    let mut headers = http::HeaderMap::new();
    let add = |headers: &mut http::HeaderMap, name: &'static str, bytes: &[u8]| {
        if let Ok(value) = http::HeaderValue::from_bytes(bytes) {
            headers.append(name, value);
        }
    };
    add(&mut headers, "accept-language", line());
    add(&mut headers, "cookie", line());
    add(&mut headers, "sec-gpc", line());
    add(&mut headers, "x-forwarded-for", line());
    let peer = text(line())
        .trim()
        .parse()
        .unwrap_or(IpAddr::from([10, 0, 0, 2]));
    let proxies = text(line())
        .split(',')
        .filter_map(|net| net.trim().parse().ok())
        .collect();
    for (i, more) in lines.enumerate() {
        let name = if i % 2 == 0 {
            "cookie"
        } else {
            "x-forwarded-for"
        };
        add(&mut headers, name, more);
    }
    Input {
        path,
        headers,
        peer,
        proxies,
    }
}

fuzz_target!(|data: &[u8]| {
    let input = input(data);
    language(&input.path, &input.headers);
    cookies(&input.headers);
    client(&input);
});

fn language(path: &str, headers: &http::HeaderMap) {
    if let Some(lang) = Lang::of_path(path) {
        assert!(Lang::ALL.contains(&lang));
    }
    if let Some(value) = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        let lang = Lang::from_accept_language(value);
        assert!(Lang::ALL.contains(&lang));
        if !value.to_ascii_lowercase().contains("en") {
            assert_eq!(lang, Lang::Nl, "{value:?}");
        }
    }
}

fn cookies(headers: &http::HeaderMap) {
    let gpc = headers
        .get("sec-gpc")
        .is_some_and(|v| v.as_bytes().trim_ascii() == b"1");
    let sent = server::sent_cookies(headers);
    for (name, value) in &sent {
        let bare = name
            .strip_prefix("__Host-")
            .or_else(|| name.strip_prefix("__Secure-"))
            .unwrap_or(name);
        match bare {
            ConsentCookie::NAME => {
                if let Some(cookie) = ConsentCookie::parse(value) {
                    assert_eq!(&cookie.to_string(), value);
                    let consent = Consent::new(Some(value), gpc, &cookie.version);
                    assert_eq!(consent.cookie.as_ref(), Some(&cookie));
                    let effective = consent.effective();
                    if gpc && !cookie.under_gpc {
                        assert!(!effective.analytical && !effective.commercial);
                    }
                }
                let other = Consent::new(Some(value), gpc, "2026-11.1");
                let _ = (other.effective(), other.conflicts_with_gpc());
            }
            "session" => {
                if let Ok(id) = Id::from_str(value) {
                    assert_eq!(Id::from_str(&id.to_string()).ok(), Some(id));
                }
            }
            _ => {}
        }
    }
}

fn client(input: &Input) {
    let headers = &input.headers;
    let proxies = server::client::TrustedProxies(input.proxies.clone().into());
    let peer = input.peer;
    let client = proxies.client(peer, headers);
    let trusted = input.proxies.iter().any(|net| net.contains(&peer));
    if !trusted {
        assert_eq!(client, peer, "an untrusted peer is the client");
    } else if client != peer {
        let named = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|hop| hop.trim().parse::<IpAddr>() == Ok(client));
        assert!(named, "the client is an address from the header");
    }
}
