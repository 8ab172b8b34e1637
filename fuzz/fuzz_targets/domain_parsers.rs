//! Every `parse` of the domain crate that reads text from outside (forms, cookies, paths,
//! configuration values), on the same arbitrary text, with the promises each one makes: an
//! accepted value reads back as itself (parse → display → parse), normalising twice changes
//! nothing, and what comes out holds no characters the parser refuses.

#![no_main]

use chrono::NaiveDate;
use domain::{
    ConsentCookie, EmailAddress, Lang, Password, Profile, ProfileInput, RequestKind, RequestStatus,
    RetentionPeriod, Role, cookies::Lifetime, cookies::Method, profile, request,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    email(text);
    password(text);
    profile_fields(text);
    words(text);
    statement(text);
    paths(text);
    lifetime(text);
    retention_period(text);
    consent_cookie(text);
});

fn email(text: &str) {
    let Ok(email) = EmailAddress::parse(text) else {
        return;
    };
    assert_eq!(email.as_str(), text.trim());
    assert_eq!(EmailAddress::parse(email.as_str()).as_ref(), Ok(&email));
    assert_eq!(email.key(), email.as_str().to_lowercase());
    let json = serde_json::to_string(&email).expect("an address serializes");
    let back: EmailAddress = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(back, email);
    let _ = email.redacted();
}

fn password(text: &str) {
    let chars = text.chars().count();
    match Password::parse(text) {
        Ok(password) => {
            assert!((Password::MIN_CHARS..=Password::MAX_CHARS).contains(&chars));
            assert_eq!(password.expose(), text, "nothing is trimmed or changed");
            let shown = format!("{password:?}");
            assert!(
                "Password(***)".contains(text) || !shown.contains(text),
                "a password never shows in Debug"
            );
        }
        Err(problem) => {
            assert!(!(Password::MIN_CHARS..=Password::MAX_CHARS).contains(&chars));
            for lang in Lang::ALL {
                assert!(!problem.message(lang).is_empty());
            }
        }
    }
}

fn profile_fields(text: &str) {
    type Parse = fn(&str) -> Result<Option<String>, domain::ProfileProblem>;
    let parsers: [(&str, Parse); 4] = [
        ("name", profile::name),
        ("phone", profile::phone),
        ("postcode", profile::postcode),
        ("text", profile::text),
    ];
    for (field, parse) in parsers {
        if let Ok(Some(value)) = parse(text) {
            assert_eq!(
                parse(&value),
                Ok(Some(value.clone())),
                "{field}: idempotent"
            );
            assert!(!value.chars().any(char::is_control), "{field}: {value:?}");
            assert!(value.chars().count() <= profile::MAX_CHARS, "{field}");
            assert_eq!(value.trim(), value, "{field}: trimmed");
        }
    }
    if let Ok(Some(phone)) = profile::phone(text) {
        let digits = phone.strip_prefix('+').expect("E.164 starts with +");
        assert!((8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()));
    }
    if let Ok(Some(postcode)) = profile::postcode(text) {
        let b = postcode.as_bytes();
        assert!(b.len() == 7 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b' ');
        assert!(b[5..].iter().all(u8::is_ascii_uppercase));
    }

    // The whole form: fields separated by the unit separator, in the form's order.
    let mut fields = text.split('\u{1f}').map(str::to_owned);
    let mut next = || fields.next().unwrap_or_default();
    let input = ProfileInput {
        name: next(),
        phone: next(),
        company: next(),
        job_title: next(),
        street: next(),
        postcode: next(),
        city: next(),
        country: next(),
    };
    match Profile::parse(&input) {
        Ok(parsed) => {
            let again = ProfileInput::from(&parsed);
            assert_eq!(Profile::parse(&again).as_ref(), Ok(&parsed));
            assert!(parsed.changed_from(&parsed).is_empty());
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for (field, _) in problems {
                assert!(Profile::FIELDS.contains(&field));
            }
        }
    }
}

/// The closed vocabularies: a word reads back only as itself.
fn words(text: &str) {
    if let Some(kind) = RequestKind::parse(text) {
        assert_eq!(kind.as_str(), text);
    }
    if let Some(status) = RequestStatus::parse(text) {
        assert_eq!(status.as_str(), text);
    }
    if let Some(method) = Method::parse(text) {
        assert_eq!(method.as_str(), text);
    }
    if let Ok(role) = text.parse::<Role>() {
        assert_eq!(role.to_string(), text);
    }
    if let Some(lang) = Lang::from_code(text) {
        assert_eq!(lang.code(), text);
    }
    // An Accept-Language list, as the server hands it over: any answer is one of ours.
    let lang = Lang::negotiate(text.split(','));
    assert!(Lang::ALL.contains(&lang));
}

fn statement(text: &str) {
    if let Ok(statement) = request::statement(text) {
        assert!(!statement.is_empty());
        assert!(statement.chars().count() <= request::MAX_STATEMENT_CHARS);
        assert_eq!(statement.trim(), statement);
        assert!(
            !statement.contains("\r\n"),
            "line breaks are \\n: {statement:?}"
        );
        assert_eq!(
            request::statement(&statement).as_ref(),
            Ok(&statement),
            "normalising twice changes nothing"
        );
    }
}

/// Site paths (the language switch, the request's path).
fn paths(text: &str) {
    if let Some(lang) = Lang::of_path(text) {
        assert!(text.trim_start_matches('/').starts_with(lang.code()));
    }
    for lang in Lang::ALL {
        let rebased = lang.rebase_path(text);
        let prefix = format!("/{}", lang.code());
        assert!(
            rebased == prefix || rebased.starts_with(&format!("{prefix}/")),
            "{rebased:?}"
        );
        assert_eq!(Lang::of_path(&rebased), Some(lang));
        assert_eq!(lang.rebase_path(&rebased), rebased, "rebasing twice");
    }
}

fn lifetime(text: &str) {
    if let Ok(lifetime) = Lifetime::parse(text) {
        assert!(lifetime.seconds() > 0);
        assert_eq!(Lifetime::parse(&lifetime.to_string()), Ok(lifetime));
        for lang in Lang::ALL {
            let _ = lifetime.describe(lang);
        }
    }
}

fn retention_period(text: &str) {
    let Ok(period) = RetentionPeriod::parse(text) else {
        return;
    };
    assert_eq!(RetentionPeriod::parse(&period.to_string()), Ok(period));
    // `parse` promises the date maths cannot leave chrono's range.
    for day in [
        NaiveDate::from_ymd_opt(1970, 1, 1),
        NaiveDate::from_ymd_opt(2026, 11, 24),
        NaiveDate::from_ymd_opt(2124, 2, 29),
    ]
    .into_iter()
    .flatten()
    {
        let last = period.expires_on(day).expect("in range");
        assert!(last >= day);
        assert!(period.first_kept(day).is_some());
    }
    for lang in Lang::ALL {
        let _ = period.describe(lang);
    }
}

fn consent_cookie(text: &str) {
    if let Some(cookie) = ConsentCookie::parse(text) {
        assert_eq!(
            cookie.to_string(),
            text,
            "a consent cookie reads back as written"
        );
        assert!(ConsentCookie::is_valid_id(&cookie.id));
        for gpc in [false, true] {
            let consent = domain::Consent::new(Some(text), gpc, &cookie.version);
            assert!(!consent.undecided());
            let effective = consent.effective();
            if gpc && !cookie.under_gpc {
                assert!(!effective.analytical && !effective.commercial);
            }
        }
    }
    let _ = domain::Consent::new(Some(text), true, "2026-11.1").effective();
}
