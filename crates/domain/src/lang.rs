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

    #[test]
    fn negotiation_takes_the_first_supported_language_and_falls_back_to_dutch() {
        assert_eq!(Lang::negotiate(["en-GB", "nl"]), Lang::En);
        assert_eq!(Lang::negotiate(["de-DE", "nl-BE", "en"]), Lang::Nl);
        assert_eq!(Lang::negotiate(["fr", "de"]), Lang::Nl);
        assert_eq!(Lang::negotiate([]), Lang::Nl);
        assert_eq!(Lang::negotiate(["EN-us"]), Lang::En);
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
}
