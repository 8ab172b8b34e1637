//! The portal's languages: Dutch first, English second.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A language the portal is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch, the client's language and the default.
    #[default]
    Nl,
    /// English, a translation.
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The BCP 47 tag, as used in `<html lang>` and in URLs (`/nl/…`).
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language's own name for itself, for the language switch.
    pub const fn endonym(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    /// Parses a URL segment or a stored code. Only exact lower-case codes are accepted, so every
    /// page has one canonical address.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Picks a language from the language ranges of an `Accept-Language` header, given in
    /// preference order (the server sorts them by quality): the first one whose primary subtag
    /// is ours wins; with none, Dutch.
    pub fn negotiate<'a>(ranges: impl IntoIterator<Item = &'a str>) -> Lang {
        ranges
            .into_iter()
            .find_map(|range| {
                let primary = range.split('-').next().unwrap_or_default();
                Lang::ALL
                    .into_iter()
                    .find(|l| l.code().eq_ignore_ascii_case(primary))
            })
            .unwrap_or_default()
    }

    /// Picks a language from an `Accept-Language` header (RFC 9110 §12.5.4): its language
    /// ranges by weight, highest first and equal weights in the order sent, then
    /// [`Lang::negotiate`]. A range weighted `q=0` ("not this one") or with a weight that is not a
    /// qvalue (0 to 1, at most three decimals) is left out.
    ///
    /// Parsed here rather than with the `accept-language` crate: its 3.1.0 reads the weight as
    /// an `f32`, so `q=nan` made its sort's order inconsistent and the sort panicked (the fuzz
    /// target `request_headers` found this); weights as whole thousandths sort without doubt.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut ranges: Vec<(u16, &str)> = header
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let range = parts.next()?.trim();
                let mut weight = 1000;
                for parameter in parts {
                    let (name, value) = parameter.split_once('=')?;
                    if name.trim().eq_ignore_ascii_case("q") {
                        weight = qvalue(value.trim())?;
                    }
                }
                (!range.is_empty() && weight > 0).then_some((weight, range))
            })
            .collect();
        // Stable: equal weights keep the order the browser sent them in.
        ranges.sort_by_key(|&(weight, _)| std::cmp::Reverse(weight));
        Lang::negotiate(ranges.into_iter().map(|(_, range)| range))
    }

    /// Replaces or adds the language prefix of a site path: `/en/x` → `/nl/x`, `/` → `/nl`.
    /// Paths never end in a slash (the server redirects those to the form without).
    pub fn rebase_path(self, path: &str) -> String {
        let path = path.trim_matches('/');
        let rest = match path.split_once('/') {
            Some((first, rest)) if Lang::from_code(first).is_some() => rest,
            None if Lang::from_code(path).is_some() => "",
            _ => path,
        };
        if rest.is_empty() {
            format!("/{}", self.code())
        } else {
            format!("/{}/{rest}", self.code())
        }
    }

    /// The language named by the first segment of a site path, if any.
    pub fn of_path(path: &str) -> Option<Lang> {
        let first = path.trim_start_matches('/').split('/').next()?;
        Lang::from_code(first)
    }
}

/// A weight in thousandths: `0`, `0.5`, `1`, `1.000`; anything else (`nan`, `2`, `.5`, `0.1234`) is
/// not one.
fn qvalue(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |n, digit| n * 10 + u16::from(digit - b'0'));
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text the client writes in both languages (configuration), e.g. a retention purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub nl: String,
    pub en: String,
}

impl Localized {
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            nl: nl.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn negotiation_takes_the_first_supported_language_and_falls_back_to_dutch() {
        assert_eq!(Lang::negotiate(["en-GB", "nl"]), Lang::En);
        assert_eq!(Lang::negotiate(["de-DE", "nl-BE", "en"]), Lang::Nl);
        assert_eq!(Lang::negotiate(["fr", "de"]), Lang::Nl);
        assert_eq!(Lang::negotiate([]), Lang::Nl);
        assert_eq!(Lang::negotiate(["EN-us"]), Lang::En);
    }

    #[test]
    fn an_accept_language_header_is_read_by_weight_and_a_weight_of_zero_refuses_a_language() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("de, nl;q=0.5, en;q=0.7"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.5, nl;q=0.5"),
            Lang::En,
            "ties in order"
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0, de"),
            Lang::Nl,
            "q=0: not English"
        );
        assert_eq!(Lang::from_accept_language("EN-us ; Q = 1.000"), Lang::En);
        assert_eq!(Lang::from_accept_language("*"), Lang::Nl);
        assert_eq!(Lang::from_accept_language(""), Lang::Nl);
        assert_eq!(
            Lang::from_accept_language("en;q=2, en;q=.5, en;q=0.1234, en;q"),
            Lang::Nl
        );
    }

    #[test]
    fn an_accept_language_header_with_a_weight_that_is_not_a_number_is_read_without_a_panic() {
        // Found by the fuzz target `request_headers`: the accept-language crate's sort panicked
        // ("does not correctly implement a total order") on q=nan among twenty-odd ranges.
        let header = format!("en;q=nan{}", ",nl;q=0.5,de".repeat(12));
        assert_eq!(Lang::from_accept_language(&header), Lang::Nl);
        for weight in ["nan", "NaN", "inf", "-0", "1e0", "0x1"] {
            let header = format!("en;q={weight},nl;q=0.1");
            assert_eq!(Lang::from_accept_language(&header), Lang::Nl, "{header}");
        }
    }

    #[test]
    fn only_exact_codes_name_a_language() {
        assert_eq!(Lang::from_code("en"), Some(Lang::En));
        assert_eq!(Lang::from_code("nl"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("EN"), None);
        assert_eq!(Lang::from_code("english"), None);
    }

    #[test]
    fn rebasing_a_path_swaps_or_adds_the_language_prefix() {
        assert_eq!(Lang::Nl.rebase_path("/en/"), "/nl");
        assert_eq!(Lang::Nl.rebase_path("/en"), "/nl");
        assert_eq!(Lang::En.rebase_path("/nl/cookies"), "/en/cookies");
        assert_eq!(Lang::En.rebase_path("/"), "/en");
        assert_eq!(Lang::En.rebase_path("/unknown/page"), "/en/unknown/page");
    }

    #[test]
    fn the_language_of_a_path_is_its_first_segment() {
        assert_eq!(Lang::of_path("/en/x"), Some(Lang::En));
        assert_eq!(Lang::of_path("/nl"), Some(Lang::Nl));
        assert_eq!(Lang::of_path("/english/x"), None);
        assert_eq!(Lang::of_path("/"), None);
    }

    proptest! {
        #[test]
        fn only_an_exact_code_names_a_language(input in "\\PC{0,4}|nl|en|NL|En") {
            if let Some(lang) = Lang::from_code(&input) {
                prop_assert_eq!(lang.code(), input.as_str());
            }
        }

        #[test]
        fn any_accept_language_list_negotiates_one_of_ours_and_a_leading_supported_range_wins(
            ranges in prop::collection::vec("\\PC{0,8}|(nl|en|NL|EN|de|fr)(-[A-Za-z]{2})?", 0..5),
        ) {
            let lang = Lang::negotiate(ranges.iter().map(String::as_str));
            prop_assert!(Lang::ALL.contains(&lang));
            if let Some(first) = ranges.first() {
                let primary = first.split('-').next().unwrap_or_default();
                if let Some(ours) = Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary)) {
                    prop_assert_eq!(lang, ours);
                }
            }
            if ranges.is_empty() {
                prop_assert_eq!(lang, Lang::Nl);
            }
        }

        #[test]
        fn any_accept_language_header_gives_the_language_of_its_heaviest_supported_range(
            ranges in prop::collection::vec(("(nl|en|de|fr|EN|\\*)(-[A-Z]{2})?", 0u16..=1000), 0..25),
            noise in "\\PC{0,12}",
        ) {
            let header = ranges
                .iter()
                .map(|(range, weight)| format!("{range};q={}.{:03}", weight / 1000, weight % 1000))
                .collect::<Vec<_>>()
                .join(", ");
            let mut best: Option<(u16, Lang)> = None;
            for (range, weight) in &ranges {
                let primary = range.split('-').next().unwrap_or_default();
                let ours = Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary));
                if let Some(lang) = ours.filter(|_| *weight > 0)
                    && best.is_none_or(|(w, _)| *weight > w)
                {
                    best = Some((*weight, lang));
                }
            }
            prop_assert_eq!(Lang::from_accept_language(&header), best.map_or(Lang::Nl, |(_, l)| l));
            let _ = Lang::from_accept_language(&format!("{header}{noise}"));
        }

        #[test]
        fn rebasing_any_path_gives_a_path_of_that_language_and_rebasing_again_changes_nothing(
            path in "\\PC{0,20}|(/(nl|en|x|))*",
        ) {
            for lang in Lang::ALL {
                let rebased = lang.rebase_path(&path);
                let prefix = format!("/{}", lang.code());
                prop_assert!(rebased == prefix || rebased.starts_with(&format!("{prefix}/")), "{}", rebased);
                prop_assert_eq!(Lang::of_path(&rebased), Some(lang));
                prop_assert_eq!(lang.rebase_path(&rebased), rebased.clone());
            }
        }
    }
}
