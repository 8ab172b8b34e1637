//! The server's configuration: `server::Config::load_with`, exactly as `portal` loads it (the
//! embedded defaults, then `APP_*` variables), with arbitrary TOML text merged last as a
//! configuration file would be. Everything the TOML can reach is parsed here: addresses and
//! URLs, durations, the database URL, the mail sender, the client's facts and retention matrix
//! (retention periods), the cookie registry (lifetimes), the cron `retention_schedule`, the time
//! zone, trusted proxy networks and the metrics allow list.
//!
//! Each input is read twice: as a configuration file, and as a list of values for known keys
//! (written out as TOML, one key a line), so values are explored, not only TOML's syntax.
//!
//! An accepted configuration must also work: every duration can be added to the clock the
//! ways the portal adds it (chrono for jobs, exports, erasures and sessions; `time` for the
//! session cookie), the schedule can be asked for its occurrences in the configured zone, every
//! registered cookie can be written as a header, and the policy's texts can be rendered.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use figment::providers::{Format, Toml};
use libfuzzer_sys::fuzz_target;
use server::Config;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    // The input as a configuration file.
    check(&String::from_utf8_lossy(data));
    // The input as values for known keys, one per line of TOML: mutating the text of a whole
    // file rarely changes one value into another the parser still accepts.
    if let Ok(values) = <Vec<(u8, String)>>::arbitrary_take_rest(Unstructured::new(data))
        && !values.is_empty()
    {
        check(&key_by_key(&values));
    }
});

/// Every key that holds one value, as TOML writes it (dotted), and how the value is written.
const KEYS: &[(&str, Value)] = &[
    ("listen", Value::Text),
    ("database_url", Value::Text),
    ("public_url", Value::Text),
    ("environment", Value::Text),
    ("site_root", Value::Text),
    ("session.idle_timeout", Value::Text),
    ("session.absolute_lifetime", Value::Text),
    ("session.reauth_valid", Value::Text),
    ("mail.transport", Value::Text),
    ("mail.from", Value::Text),
    ("mail.host", Value::Text),
    ("mail.port", Value::Bare),
    ("mail.tls", Value::Text),
    ("mail.poll_interval", Value::Text),
    ("provider_api.base_url", Value::Text),
    ("provider_api.api_key", Value::Text),
    ("provider_api.attempt_timeout", Value::Text),
    ("provider_api.circuit_cooldown", Value::Text),
    ("jobs.poll_interval", Value::Text),
    ("jobs.lease", Value::Text),
    ("jobs.concurrency", Value::Bare),
    ("jobs.retry_base", Value::Text),
    ("jobs.retry_max", Value::Text),
    ("jobs.operation_poll", Value::Text),
    ("exports.keep", Value::Text),
    ("erasure.cool_off", Value::Text),
    ("time_zone", Value::Text),
    ("retention_schedule", Value::Text),
    ("log_format", Value::Text),
    ("metrics.allow", Value::List),
    ("metrics.token", Value::Text),
    ("trusted_proxies", Value::List),
    ("tls.cert", Value::Text),
    ("tls.key", Value::Text),
    ("privacy_contact", Value::Text),
    ("organisation.name", Value::Text),
    ("cookies.version", Value::Text),
    ("provider.display_name", Value::Text),
];

#[derive(Clone, Copy)]
enum Value {
    /// A string.
    Text,
    /// A number (or whatever the input holds), unquoted.
    Bare,
    /// A list of strings, split at commas.
    List,
}

fn key_by_key(values: &[(u8, String)]) -> String {
    let quote = |text: &str| serde_json::to_string(text).expect("a string serializes");
    let mut toml = String::new();
    for (key, value) in values {
        let (key, kind) = KEYS[usize::from(*key) % KEYS.len()];
        let written = match kind {
            Value::Text => quote(value),
            Value::Bare => value.clone(),
            Value::List => format!(
                "[{}]",
                value.split(',').map(quote).collect::<Vec<_>>().join(", ")
            ),
        };
        toml.push_str(&format!("{key} = {written}\n"));
    }
    toml
}

fn check(toml: &str) {
    let Ok(config) = Config::load_with(None, Toml::string(toml)) else {
        return;
    };
    durations(&config);
    schedule(&config);
    cookies(&config);
    facts(&config);
    networks(&config);
}

fn durations(config: &Config) {
    let all: [(&str, Duration); 13] = [
        ("session.idle_timeout", config.session.idle_timeout),
        (
            "session.absolute_lifetime",
            config.session.absolute_lifetime,
        ),
        ("session.reauth_valid", config.session.reauth_valid),
        ("mail.poll_interval", config.mail.poll_interval),
        (
            "provider_api.attempt_timeout",
            config.provider_api.attempt_timeout,
        ),
        (
            "provider_api.circuit_cooldown",
            config.provider_api.circuit_cooldown,
        ),
        ("jobs.poll_interval", config.jobs.poll_interval),
        ("jobs.lease", config.jobs.lease),
        ("jobs.retry_base", config.jobs.retry_base),
        ("jobs.retry_max", config.jobs.retry_max),
        ("jobs.operation_poll", config.jobs.operation_poll),
        ("exports.keep", config.exports.keep),
        ("erasure.cool_off", config.erasure.cool_off),
    ];
    let now = chrono::Utc::now();
    let cookie_now = time::OffsetDateTime::now_utc();
    for (key, duration) in all {
        let later = chrono::Duration::from_std(duration)
            .ok()
            .and_then(|d| now.checked_add_signed(d));
        assert!(later.is_some(), "{key} = {duration:?} overflows the clock");
        let cookie_later = time::Duration::try_from(duration)
            .ok()
            .and_then(|d| cookie_now.checked_add(d));
        assert!(
            cookie_later.is_some(),
            "{key} = {duration:?} overflows a cookie's expiry"
        );
    }
    assert!(config.session.idle_timeout <= config.session.absolute_lifetime);
    assert!(config.mail.poll_interval >= Duration::from_millis(50));
    assert!(config.jobs.poll_interval >= Duration::from_millis(50));
    assert!((1..=256).contains(&config.jobs.concurrency));
}

/// What the worker does every poll: the latest scheduled time in the configured zone.
fn schedule(config: &Config) {
    use chrono::SubsecRound;
    let local = chrono::Utc::now()
        .with_timezone(&config.time_zone)
        .trunc_subsecs(0);
    let _ = config
        .retention_schedule
        .find_previous_occurrence(&local, true);
    let _ = config
        .retention_schedule
        .find_next_occurrence(&local, false);
}

fn cookies(config: &Config) {
    let registry = &config.cookies;
    assert!(registry.validate().is_ok());
    for name in ["session", domain::ConsentCookie::NAME] {
        assert!(registry.find(name).is_some(), "{name} is registered");
    }
    for item in &registry.items {
        for secure in [false, true] {
            if item.storage == domain::cookies::Storage::Cookie {
                let set = registry
                    .set_cookie(&item.name, "2026-11-24", secure)
                    .expect("a registered cookie");
                assert!(http::HeaderValue::from_str(&set).is_ok(), "{set:?}");
            }
            let expire = registry.expire_cookie(&item.name, secure);
            assert!(http::HeaderValue::from_str(&expire).is_ok(), "{expire:?}");
        }
        for lang in domain::Lang::ALL {
            let _ = item.lifetime.describe(lang);
            let _ = item.purpose.get(lang);
        }
    }
    // The consent cookie carries the statement's version.
    let cookie = domain::ConsentCookie {
        id: "AbC-_9".into(),
        choice: domain::Choice::ALL,
        under_gpc: false,
        version: registry.version.clone(),
    };
    assert_eq!(
        domain::ConsentCookie::parse(&cookie.to_string()),
        Some(cookie)
    );
}

fn facts(config: &Config) {
    let facts = &config.facts;
    assert!(facts.validate().is_ok());
    let today = chrono::Utc::now().date_naive();
    for described in facts.catalogue() {
        let _ = described.held_by();
        let _ = described.kept_until(Some(today));
        let _ = described.kept_until(None);
    }
    for rule in &facts.retention {
        let _ = rule.period.expires_on(today);
        let _ = rule.period.first_kept(today);
        for lang in domain::Lang::ALL {
            let _ = rule.describe_period(lang);
        }
    }
    assert!(facts.catalogue().count() == facts.catalogue.len());
}

fn networks(config: &Config) {
    let peer: std::net::IpAddr = [10, 0, 0, 2].into();
    let proxies = server::client::TrustedProxies(config.trusted_proxies.clone().into());
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        http::HeaderValue::from_static("198.51.100.7, 10.0.0.3"),
    );
    let _ = proxies.client(peer, &headers);
    for net in &config.metrics.allow {
        assert!(net.contains(&net.network()));
    }
    assert!(matches!(config.public_url.scheme(), "http" | "https"));
    assert!(matches!(
        config.provider_api.base_url.scheme(),
        "http" | "https"
    ));
}
