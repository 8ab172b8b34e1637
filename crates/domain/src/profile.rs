//! The account holder's profile, field by field, parsed the same way in the browser and on the
//! server: names with letters of any script, Dutch and international phone numbers (kept in
//! E.164), Dutch postcodes, and short lines of text.
//!
//! Phone numbers are checked here rather than with the `phonenumber` crate: its metadata would
//! add far more to the browser build than the rule we need (a plausible E.164 number, Dutch
//! national numbers converted), and the provider validates numbers it actually routes.

use serde::{Deserialize, Serialize};

/// What is wrong with a profile field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ProfileProblem {
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    #[error("holds characters that cannot be shown")]
    Control,
    #[error("is not a name")]
    NotAName,
    #[error("is not a phone number")]
    NotAPhoneNumber,
    #[error("is not a Dutch postcode (1234 AB)")]
    NotAPostcode,
}

/// The longest value of any profile field.
pub const MAX_CHARS: usize = 100;

/// Trims and collapses runs of white space; refuses control characters and overlong values.
/// An empty value is `None`: the field is cleared.
fn line(input: &str, max: usize) -> Result<Option<String>, ProfileProblem> {
    if input.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(ProfileProblem::Control);
    }
    let collapsed = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > max {
        return Err(ProfileProblem::TooLong { max });
    }
    Ok((!collapsed.is_empty()).then_some(collapsed))
}

/// A short line of free text: company, job title, street, city, country.
pub fn text(input: &str) -> Result<Option<String>, ProfileProblem> {
    line(input, MAX_CHARS)
}

/// A person's name: letters of any script (with their accents), spaces, hyphens, apostrophes
/// and full stops — "Anne-Marie d'Ancona", "Đặng Thị Ngọc", "Zoë O’Brien", "J. de Vries".
pub fn name(input: &str) -> Result<Option<String>, ProfileProblem> {
    let Some(name) = line(input, MAX_CHARS)? else {
        return Ok(None);
    };
    let allowed = |c: char| {
        c.is_alphabetic()
            || matches!(c, ' ' | '-' | '\'' | '’' | '.')
            // combining accents, as some keyboards type them
            || ('\u{0300}'..='\u{036F}').contains(&c)
    };
    if name.chars().all(allowed) && name.chars().any(char::is_alphabetic) {
        Ok(Some(name))
    } else {
        Err(ProfileProblem::NotAName)
    }
}

/// A phone number, kept in E.164 (`+31201234567`). Accepts Dutch national numbers (`020-123
/// 4567`, `06 12345678`), `0031…`, and international numbers with `+` (8 to 15 digits), with
/// spaces, hyphens, dots and brackets as people write them.
pub fn phone(input: &str) -> Result<Option<String>, ProfileProblem> {
    let Some(written) = line(input, 30).map_err(|p| match p {
        ProfileProblem::TooLong { .. } => ProfileProblem::NotAPhoneNumber,
        other => other,
    })?
    else {
        return Ok(None);
    };
    let (international, rest) = if let Some(rest) = written.strip_prefix('+') {
        (true, rest.to_owned())
    } else if let Some(rest) = written.strip_prefix("00") {
        (true, rest.to_owned())
    } else {
        (false, written.clone())
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return Err(ProfileProblem::NotAPhoneNumber);
    }
    // "+31 (0)20 …": the national 0 in brackets is not dialled from abroad.
    let rest = rest.replacen("(0)", "", 1);
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let e164 = if international {
        digits
    } else {
        // A Dutch national number: 0 and nine digits.
        match digits.strip_prefix('0') {
            Some(national) if national.len() == 9 && !national.starts_with('0') => {
                format!("31{national}")
            }
            _ => return Err(ProfileProblem::NotAPhoneNumber),
        }
    };
    let plausible = (8..=15).contains(&e164.len())
        && !e164.starts_with('0')
        // Dutch numbers have nine digits after 31.
        && (!e164.starts_with("31") || e164.len() == 11);
    if plausible {
        Ok(Some(format!("+{e164}")))
    } else {
        Err(ProfileProblem::NotAPhoneNumber)
    }
}

/// A Dutch postcode, kept as `1234 AB`: four digits not starting with 0, two letters (not SA,
/// SD or SS, which are not issued).
pub fn postcode(input: &str) -> Result<Option<String>, ProfileProblem> {
    let Some(written) = line(input, 10).map_err(|_| ProfileProblem::NotAPostcode)? else {
        return Ok(None);
    };
    let compact: String = written
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.len() != 6 || !compact.is_ascii() {
        return Err(ProfileProblem::NotAPostcode);
    }
    let (digits, letters) = compact.split_at(4);
    let valid = digits.len() == 4
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
        && letters.len() == 2
        && letters.chars().all(|c| c.is_ascii_uppercase())
        && !matches!(letters, "SA" | "SD" | "SS");
    if valid {
        Ok(Some(format!("{digits} {letters}")))
    } else {
        Err(ProfileProblem::NotAPostcode)
    }
}

/// The profile's fields, each parsed; `None` is an empty field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// The profile as a form sends it: text per field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    pub name: String,
    pub phone: String,
    pub company: String,
    pub job_title: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
}

impl From<&Profile> for ProfileInput {
    /// The form a stored profile fills in: an absent field is an empty one.
    fn from(profile: &Profile) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            name: text(&profile.name),
            phone: text(&profile.phone),
            company: text(&profile.company),
            job_title: text(&profile.job_title),
            street: text(&profile.street),
            postcode: text(&profile.postcode),
            city: text(&profile.city),
            country: text(&profile.country),
        }
    }
}

impl Profile {
    /// The field names, in the order forms show them.
    pub const FIELDS: [&str; 8] = [
        "name",
        "phone",
        "company",
        "job_title",
        "street",
        "postcode",
        "city",
        "country",
    ];

    /// Parses every field; on failure, every field's problem at once.
    pub fn parse(input: &ProfileInput) -> Result<Self, Vec<(&'static str, ProfileProblem)>> {
        let mut problems = Vec::new();
        let mut take = |field: &'static str, result: Result<Option<String>, ProfileProblem>| {
            result.unwrap_or_else(|problem| {
                problems.push((field, problem));
                None
            })
        };
        let profile = Profile {
            name: take("name", name(&input.name)),
            phone: take("phone", phone(&input.phone)),
            company: take("company", text(&input.company)),
            job_title: take("job_title", text(&input.job_title)),
            street: take("street", text(&input.street)),
            postcode: take("postcode", postcode(&input.postcode)),
            city: take("city", text(&input.city)),
            country: take("country", text(&input.country)),
        };
        if problems.is_empty() {
            Ok(profile)
        } else {
            Err(problems)
        }
    }

    /// The value of a field by name.
    pub fn get(&self, field: &str) -> Option<&str> {
        match field {
            "name" => self.name.as_deref(),
            "phone" => self.phone.as_deref(),
            "company" => self.company.as_deref(),
            "job_title" => self.job_title.as_deref(),
            "street" => self.street.as_deref(),
            "postcode" => self.postcode.as_deref(),
            "city" => self.city.as_deref(),
            "country" => self.country.as_deref(),
            _ => None,
        }
    }

    /// The names of the fields whose values differ from `other`'s.
    pub fn changed_from(&self, other: &Profile) -> Vec<&'static str> {
        Self::FIELDS
            .into_iter()
            .filter(|f| self.get(f) != other.get(f))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_in_any_script_with_accents_hyphens_and_apostrophes_are_names() {
        for ok in [
            "Anne-Marie d'Ancona",
            "Đặng Thị Ngọc",
            "Zoë O’Brien",
            "J. de Vries",
            "Ölçer Şahin",
            "Αλέξης",
            "Иван",
            "李小龙",
            "  Sanne   de Vries ",
        ] {
            assert!(name(ok).expect(ok).is_some(), "{ok}");
        }
        assert_eq!(
            name("  Sanne   de Vries ").expect("a name").as_deref(),
            Some("Sanne de Vries")
        );
        for bad in ["R2-D2", "<script>", "jan@example.nl", "...", "Jan\u{0007}"] {
            assert!(name(bad).is_err(), "{bad}");
        }
        assert_eq!(name("   ").expect("empty"), None, "empty clears the field");
        assert_eq!(
            name(&"a".repeat(101)),
            Err(ProfileProblem::TooLong { max: 100 })
        );
    }

    #[test]
    fn dutch_and_international_phone_numbers_are_kept_in_e164() {
        for (written, e164) in [
            ("020-123 4567", "+31201234567"),
            ("06 12345678", "+31612345678"),
            ("(020) 1234567", "+31201234567"),
            ("+31 6 1234 5678", "+31612345678"),
            ("+31 (0)20 123 4567", "+31201234567"),
            ("0031 20 123 4567", "+31201234567"),
            ("+44 20 7946 0958", "+442079460958"),
            ("+1 (415) 555-2671", "+14155552671"),
            ("+32 2 555 12 12", "+3225551212"),
        ] {
            assert_eq!(
                phone(written).expect(written).as_deref(),
                Some(e164),
                "{written}"
            );
        }
        for bad in [
            "12345",
            "06-1234567",
            "020 12345678",
            "+31 20 123",
            "+0 123 456 789",
            "bel me",
            "+44 20 7946 0958 1234 5678",
            "0612345678x",
        ] {
            assert_eq!(phone(bad), Err(ProfileProblem::NotAPhoneNumber), "{bad}");
        }
    }

    #[test]
    fn dutch_postcodes_are_kept_as_four_digits_a_space_and_two_capitals() {
        assert_eq!(postcode("1234ab").expect("ok").as_deref(), Some("1234 AB"));
        assert_eq!(
            postcode(" 1011  ac ").expect("ok").as_deref(),
            Some("1011 AC")
        );
        for bad in [
            "0123 AB", "1234 SS", "12345", "1234 A", "ABCD 12", "1234 ÄB",
        ] {
            assert_eq!(postcode(bad), Err(ProfileProblem::NotAPostcode), "{bad}");
        }
    }

    #[test]
    fn a_profile_reports_every_fields_problem_at_once_and_knows_what_changed() {
        let input = ProfileInput {
            name: "R2-D2".into(),
            phone: "bel me".into(),
            postcode: "0000".into(),
            city: "Utrecht".into(),
            ..ProfileInput::default()
        };
        let problems = Profile::parse(&input).expect_err("three problems");
        assert_eq!(
            problems.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["name", "phone", "postcode"]
        );
        let before = Profile {
            city: Some("Utrecht".into()),
            ..Profile::default()
        };
        let after = Profile {
            city: Some("Utrecht".into()),
            phone: Some("+31612345678".into()),
            ..Profile::default()
        };
        assert_eq!(after.changed_from(&before), ["phone"]);
    }

    proptest! {
        #[test]
        fn parsing_a_parsed_value_gives_it_back_unchanged(input in "\\PC{0,120}") {
            for parse in [name, phone, postcode, text] {
                if let Ok(Some(value)) = parse(&input) {
                    prop_assert_eq!(parse(&value), Ok(Some(value.clone())));
                }
            }
        }

        #[test]
        fn an_accepted_phone_number_is_e164_and_a_dutch_one_has_nine_digits_after_31(
            input in "[0-9 ()+.-]{0,20}|\\PC{0,20}",
        ) {
            if let Ok(Some(e164)) = phone(&input) {
                let digits = e164.strip_prefix('+').expect("starts with +");
                prop_assert!((8..=15).contains(&digits.len()), "{}", e164);
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'));
                prop_assert!(!digits.starts_with("31") || digits.len() == 11, "{}", e164);
            }
        }

        #[test]
        fn an_accepted_postcode_is_four_digits_a_space_and_two_issued_capitals(
            input in "[0-9]{4} {0,2}[a-zA-Z]{2}|\\PC{0,8}",
        ) {
            if let Ok(Some(code)) = postcode(&input) {
                let (digits, letters) = code.split_at(4);
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'));
                prop_assert!(letters.len() == 3 && letters.starts_with(' '));
                prop_assert!(letters[1..].bytes().all(|b| b.is_ascii_uppercase()));
                prop_assert!(!matches!(&letters[1..], "SA" | "SD" | "SS"));
            }
        }

        #[test]
        fn parsing_a_parsed_profile_gives_it_back_and_nothing_changed(
            fields in prop::collection::vec("\\PC{0,12}|[A-Za-z ]{1,12}|06 [0-9]{8}|[1-9][0-9]{3}[a-z]{2}", 8),
        ) {
            let input = ProfileInput {
                name: fields[0].clone(),
                phone: fields[1].clone(),
                company: fields[2].clone(),
                job_title: fields[3].clone(),
                street: fields[4].clone(),
                postcode: fields[5].clone(),
                city: fields[6].clone(),
                country: fields[7].clone(),
            };
            if let Ok(profile) = Profile::parse(&input) {
                let again = ProfileInput::from(&profile);
                prop_assert_eq!(Profile::parse(&again), Ok(profile.clone()));
                prop_assert!(profile.changed_from(&profile).is_empty());
            }
        }

        #[test]
        fn no_input_makes_a_parser_panic_or_keep_control_characters(input in "\\PC*|[\\x00-\\x1f]{0,5}") {
            for parse in [name, phone, postcode, text] {
                if let Ok(Some(value)) = parse(&input) {
                    prop_assert!(!value.chars().any(char::is_control));
                }
            }
        }
    }
}
