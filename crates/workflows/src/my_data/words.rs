//! An item's fields in words: the label of each key and the value as a person reads it. Items
//! keep machine values (RFC 3339 moments in UTC, ISO days, codes such as `yes` or `active`), so
//! the export's JSON and CSV stay readable by programs; "Mijn gegevens", the staff view and the
//! export's `index.html` show them through here, in the company's time zone.

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Lang, LocalTime, RequestKind, time};

/// A moment as items keep it: RFC 3339 in UTC, to the second.
pub fn machine_moment(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The words for a field's key; an unknown key (a new field at the provider) is shown as is.
pub fn label(key: &str, lang: Lang) -> String {
    let (nl, en) = match key {
        // The columns every item has in the export.
        "item_id" => ("Kenmerk", "Reference"),
        "recorded_at" => ("Vastgelegd op", "Recorded on"),
        "kept_until" => ("Bewaard tot en met", "Kept until"),
        "email" => ("E-mailadres", "E-mail address"),
        "phone" => ("Telefoonnummer", "Phone number"),
        "company" => ("Bedrijf", "Company"),
        "job_title" => ("Functie", "Job title"),
        "street" => ("Straat en huisnummer", "Street and number"),
        "postcode" => ("Postcode", "Postcode"),
        "country" => ("Land", "Country"),
        "language" => ("Taal", "Language"),
        "created" => ("Account aangemaakt", "Account created"),
        "device" => ("Apparaat", "Device"),
        "signed_in" => ("Ingelogd", "Signed in"),
        "last_used" => ("Laatst gebruikt", "Last used"),
        "failed_sign_in" => ("Mislukte inlogpoging", "Failed sign-in"),
        "number" => ("Nummer", "Number"),
        "holder_name" => ("Naam houder", "Holder's name"),
        "status" => ("Stand", "Status"),
        "product" => ("Dienst", "Service"),
        "since" => ("Sinds", "Since"),
        "listed" => ("Vermeld", "Listed"),
        "name" => ("Naam", "Name"),
        "city" => ("Plaats", "Place"),
        "iccid" => ("Simkaartnummer (ICCID)", "SIM card number (ICCID)"),
        "puk" => ("PUK-code", "PUK code"),
        "from" => ("Vorige aanbieder", "Previous provider"),
        "to" => ("Nieuwe aanbieder", "New provider"),
        "date" => ("Datum", "Date"),
        "month" => ("Maand", "Month"),
        "calls" => ("Gesprekken", "Calls"),
        "data_mb" => ("Data (MB)", "Data (MB)"),
        "marketing_objection" => (
            "Bezwaar tegen direct marketing sinds",
            "Objected to direct marketing since",
        ),
        "received" => ("Ontvangen", "Received"),
        "subject" => ("Onderwerp", "Subject"),
        "message" => ("Bericht", "Message"),
        "reference" => ("Kenmerk", "Reference"),
        "requested" => ("Aangevraagd", "Requested"),
        "service" => ("Dienst", "Service"),
        "details" => ("Toelichting", "Details"),
        "shared_with" => ("Gedeeld met", "Shared with"),
        "shared" => ("Gedeeld op", "Shared on"),
        "issued" => ("Datum", "Date"),
        "description" => ("Omschrijving", "Description"),
        "amount" => ("Bedrag", "Amount"),
        "kind" => ("Soort verzoek", "Kind of request"),
        "concerns" => ("Betreft", "Concerns"),
        "statement" => ("Toelichting", "Statement"),
        "chosen" => ("Gekozen", "Chosen"),
        "functional" => ("Functionele cookies", "Functional cookies"),
        "analytical" => ("Analytische cookies", "Analytical cookies"),
        "commercial" => ("Commerciële cookies", "Commercial cookies"),
        "method" => ("Hoe", "How"),
        "gpc_signal" => (
            "Global Privacy Control-signaal",
            "Global Privacy Control signal",
        ),
        "statement_version" => ("Versie cookieverklaring", "Cookie statement version"),
        other => return other.to_owned(),
    };
    pick(lang, nl, en).to_owned()
}

/// A field's value in words: moments and days in the company's zone, codes as words. A value
/// that is none of these is shown as it is.
pub fn value(key: &str, raw: &str, lang: Lang, local: &LocalTime) -> String {
    let code = match (key, raw) {
        ("functional" | "analytical" | "commercial", "yes") => Some(("toegestaan", "allowed")),
        ("functional" | "analytical" | "commercial", "no") => Some(("geweigerd", "refused")),
        ("gpc_signal" | "listed", "yes") => Some(("ja", "yes")),
        ("gpc_signal" | "listed", "no") => Some(("nee", "no")),
        ("language", "nl") => Some(("Nederlands", "Dutch")),
        ("language", "en") => Some(("Engels", "English")),
        ("status", "active") => Some(("actief", "active")),
        ("status", "suspended") => Some(("opgeschort", "suspended")),
        ("status", "ended" | "terminated") => Some(("beëindigd", "ended")),
        ("status", "ported" | "ported-out") => Some(("overgezet", "ported out")),
        ("status", "open") => Some(("in behandeling", "being handled")),
        ("status", "waiting") => Some(("wacht op jouw antwoord", "waiting for your answer")),
        ("status", "closed") => Some(("afgesloten", "closed")),
        ("status", "cancelled") => Some(("ingetrokken", "withdrawn")),
        _ => None,
    };
    if let Some((nl, en)) = code {
        return pick(lang, nl, en).to_owned();
    }
    match key {
        "method" => {
            return domain::Method::parse(raw)
                .map_or_else(|| raw.to_owned(), |m| m.describe(lang).to_owned());
        }
        "kind" => {
            return RequestKind::parse(raw)
                .map_or_else(|| raw.to_owned(), |k| k.describe(lang).to_owned());
        }
        // A version, not a day: shown as it is named.
        "statement_version" => return raw.to_owned(),
        "month" => {
            if let Ok(day) = NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d") {
                return time::month(day, lang);
            }
        }
        _ => {}
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return local.moment(at.with_timezone(&Utc), lang);
    }
    if let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return time::date(day, lang);
    }
    raw.to_owned()
}

fn pick(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_stored_moment_is_shown_in_the_companys_zone_and_the_same_moment_everywhere() {
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 4, 17, 0).unwrap();
        let raw = machine_moment(at);
        assert_eq!(raw, "2026-12-04T04:17:00Z");
        let local = LocalTime::default();
        assert_eq!(
            value("received", &raw, Lang::Nl, &local),
            "4 december 2026 om 05:17"
        );
        assert_eq!(
            value("signed_in", &raw, Lang::En, &local),
            "4 December 2026 at 05:17"
        );
    }

    #[test]
    fn codes_are_shown_as_words_in_each_language() {
        let local = LocalTime::default();
        assert_eq!(value("status", "active", Lang::Nl, &local), "actief");
        assert_eq!(value("listed", "yes", Lang::Nl, &local), "ja");
        assert_eq!(value("language", "en", Lang::Nl, &local), "Engels");
        assert_eq!(
            value("kind", "objection", Lang::Nl, &local),
            "Bezwaar (art. 21)"
        );
        assert_eq!(value("month", "2026-11", Lang::Nl, &local), "november 2026");
        assert_eq!(
            value("since", "2021-03-01", Lang::En, &local),
            "1 March 2021"
        );
        assert_eq!(
            value("subject", "Terugbellen", Lang::Nl, &local),
            "Terugbellen"
        );
    }

    #[test]
    fn every_key_an_item_has_here_has_words_in_both_languages() {
        for key in [
            "item_id",
            "recorded_at",
            "kept_until",
            "received",
            "subject",
            "status",
            "kind",
        ] {
            assert_ne!(label(key, Lang::Nl), key);
            assert_ne!(label(key, Lang::En), key);
        }
        assert_eq!(label("recorded_at", Lang::Nl), "Vastgelegd op");
    }
}
