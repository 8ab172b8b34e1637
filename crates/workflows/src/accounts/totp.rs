//! Time-based one-time passwords (RFC 6238) for two-step sign-in: required for staff, optional
//! for customers. SHA-1, 6 digits, 30-second steps — what every authenticator app speaks — with
//! one step of clock drift allowed either way, and every step accepted only once.

use chrono::{DateTime, Utc};
use qrcode::{QrCode, render::svg};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use totp_rs::{Builder, Secret, Totp};

/// The shared secret, base32 as authenticator apps show it. Never logged or printed.
#[derive(Clone)]
pub struct TotpSecret(SecretString);

impl TotpSecret {
    /// A secret read back from storage (base32).
    pub fn from_base32(base32: impl Into<String>) -> Self {
        Self(SecretString::from(base32.into()))
    }

    pub fn expose_base32(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(***)")
    }
}

/// What a person needs to add the portal to an authenticator app.
pub struct Enrolment {
    pub secret: TotpSecret,
    /// The `otpauth://totp/…` address the QR code holds.
    pub url: String,
    /// The QR code as an SVG document, to show inline (no script, no external request).
    pub qr_svg: String,
}

#[derive(Debug, thiserror::Error)]
#[error("TOTP set-up failed: {0}")]
pub struct TotpError(String);

fn totp(secret: Secret, issuer: &str, label: &str) -> Result<Totp, TotpError> {
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(issuer))
        .with_account_name(label)
        .build()
        .map_err(|e| TotpError(e.to_string()))
}

/// A new random secret (160 bits) with its `otpauth` URL and QR code. `label` names the account
/// in the app; the issuer is the organisation.
pub fn enrol(issuer: &str, label: &str) -> Result<Enrolment, TotpError> {
    let secret = TotpSecret::from_base32(Secret::generate().to_base32());
    enrolment_for(&secret, issuer, label)
}

/// The URL and QR code for a secret being set up (shown again when the page is reloaded).
pub fn enrolment_for(
    secret: &TotpSecret,
    issuer: &str,
    label: &str,
) -> Result<Enrolment, TotpError> {
    let bytes =
        Secret::try_from_base32(secret.expose_base32()).map_err(|e| TotpError(e.to_string()))?;
    let totp = totp(bytes, issuer, label)?;
    let url = totp.to_url().map_err(|e| TotpError(e.to_string()))?;
    let qr_svg = QrCode::new(url.as_bytes())
        .map_err(|e| TotpError(e.to_string()))?
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok(Enrolment {
        secret: secret.clone(),
        url,
        qr_svg,
    })
}

/// Checks a code typed at `now`. Returns the time step it belongs to, which the caller stores:
/// a code whose step is not after `last_used_step` is refused, so a code works only once.
/// Spaces in the code (as apps display it, "123 456") are ignored.
pub fn verify(
    secret: &TotpSecret,
    code: &str,
    now: DateTime<Utc>,
    last_used_step: Option<u64>,
) -> Option<u64> {
    let secret = Secret::try_from_base32(secret.expose_base32()).ok()?;
    let totp = Builder::new().with_secret(secret).build().ok()?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let time = u64::try_from(now.timestamp()).ok()?;
    let step = totp.check(&code, time)?;
    match last_used_step {
        Some(last) if step <= last => None,
        _ => Some(step),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 test secret, "12345678901234567890", in base32.
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).expect("a time")
    }

    #[test]
    fn the_rfc_6238_test_vectors_verify() {
        // RFC 6238 appendix B, SHA-1, last six of the eight digits.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
        ] {
            assert_eq!(
                verify(&rfc_secret(), code, at(time), None),
                Some(time as u64 / 30),
                "{time}"
            );
        }
    }

    #[test]
    fn one_step_of_clock_drift_is_allowed_either_way_and_no_more() {
        let code = "287082"; // step 1 (30..59 s)
        assert!(
            verify(&rfc_secret(), code, at(15), None).is_some(),
            "phone a step ahead"
        );
        assert!(
            verify(&rfc_secret(), code, at(75), None).is_some(),
            "phone a step behind"
        );
        assert!(
            verify(&rfc_secret(), code, at(95), None).is_none(),
            "two steps is too far"
        );
        assert!(
            verify(&rfc_secret(), "287 082", at(59), None).is_some(),
            "spaces are ignored"
        );
        assert!(verify(&rfc_secret(), "287083", at(59), None).is_none());
        assert!(verify(&rfc_secret(), "", at(59), None).is_none());
    }

    #[test]
    fn asvs_v6_5_1_a_code_is_accepted_only_once() {
        let step = verify(&rfc_secret(), "287082", at(59), None).expect("first use");
        assert_eq!(
            verify(&rfc_secret(), "287082", at(60), Some(step)),
            None,
            "replay refused"
        );
    }

    #[test]
    fn enrolment_gives_a_fresh_160_bit_secret_an_otpauth_url_and_an_svg_qr_code() {
        let first = enrol("Cloud4Companies", "support@example.nl").expect("enrol");
        let second = enrol("Cloud4Companies", "support@example.nl").expect("enrol");
        assert_eq!(first.secret.expose_base32().len(), 32, "20 bytes in base32");
        assert_ne!(first.secret.expose_base32(), second.secret.expose_base32());
        assert!(
            first
                .url
                .starts_with("otpauth://totp/Cloud4Companies:support%40example.nl?"),
            "{}",
            first.url
        );
        assert!(
            first
                .url
                .contains(&format!("secret={}", first.secret.expose_base32()))
        );
        assert!(first.url.contains("issuer=Cloud4Companies"));
        assert!(first.qr_svg.contains("<svg") && first.qr_svg.contains("</svg>"));
        assert!(!format!("{:?}", first.secret).contains(first.secret.expose_base32()));

        // The enrolled secret verifies codes its own TOTP generates.
        let now = Utc::now();
        let totp = totp_rs::Totp::from_url(&first.url).expect("parse url");
        let code = totp.generate(u64::try_from(now.timestamp()).expect("after 1970"));
        assert!(verify(&first.secret, &code.to_string(), now, None).is_some());
    }
}
