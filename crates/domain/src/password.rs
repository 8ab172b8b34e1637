//! Passwords as the account holder types them: at least 8 characters, up to 1024, any
//! characters at all, no composition rules (NIST SP 800-63B; ASVS 5.0 V6.2). How guessable a
//! password is, is judged on the server (a strength estimator is too large for the browser).

use crate::lang::Lang;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// A password that meets the length rules. Its text is never printed, logged or serialized.
#[derive(Clone)]
pub struct Password(SecretString);

/// Why a password was refused, in words for the person choosing it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize,
)]
pub enum PasswordProblem {
    #[error("shorter than {min} characters")]
    TooShort { min: usize },
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    #[error("too easy to guess")]
    TooWeak,
}

impl Password {
    pub const MIN_CHARS: usize = 8;
    /// Far above the 64 that must be allowed; bounded so hashing cost stays bounded.
    pub const MAX_CHARS: usize = 1024;

    /// Counts characters, not bytes: "wachtwoord" in any script is judged by what one sees.
    /// Nothing is trimmed or changed: a space is a character like any other.
    pub fn parse(input: impl Into<String>) -> Result<Self, PasswordProblem> {
        let input = input.into();
        let chars = input.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(PasswordProblem::TooShort {
                min: Self::MIN_CHARS,
            });
        }
        if chars > Self::MAX_CHARS {
            return Err(PasswordProblem::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(SecretString::from(input)))
    }

    /// The password itself, for the hasher and the strength estimator only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl PasswordProblem {
    /// A field-level message for the form, in the person's language.
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (PasswordProblem::TooShort { min }, Lang::Nl) => {
                format!("Kies een wachtwoord van minstens {min} tekens.")
            }
            (PasswordProblem::TooShort { min }, Lang::En) => {
                format!("Choose a password of at least {min} characters.")
            }
            (PasswordProblem::TooLong { max }, Lang::Nl) => {
                format!("Een wachtwoord mag hoogstens {max} tekens lang zijn.")
            }
            (PasswordProblem::TooLong { max }, Lang::En) => {
                format!("A password can be at most {max} characters long.")
            }
            (PasswordProblem::TooWeak, Lang::Nl) => "Dit wachtwoord is te makkelijk te raden, \
                bijvoorbeeld omdat het veel gebruikt wordt of op je naam of e-mailadres lijkt. \
                Een zin van een paar woorden die niets met jou te maken hebben is sterk en \
                makkelijk te onthouden."
                .to_owned(),
            (PasswordProblem::TooWeak, Lang::En) => "This password is too easy to guess, for \
                example because it is widely used or resembles your name or e-mail address. A \
                sentence of a few words that have nothing to do with you is strong and easy to \
                remember."
                .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn eight_characters_are_enough_and_sixty_four_and_more_are_allowed() {
        assert_eq!(
            Password::parse("1234567").map(|_| ()),
            Err(PasswordProblem::TooShort { min: 8 })
        );
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse("a".repeat(64)).is_ok());
        assert!(Password::parse("a".repeat(1024)).is_ok());
        assert_eq!(
            Password::parse("a".repeat(1025)).map(|_| ()),
            Err(PasswordProblem::TooLong { max: 1024 })
        );
    }

    #[test]
    fn characters_are_counted_not_bytes_and_nothing_is_trimmed_or_required() {
        // Seven characters of two bytes each are still seven characters.
        assert!(Password::parse("ééééééé").is_err());
        assert!(
            Password::parse("ééééééé ").is_ok(),
            "a trailing space counts"
        );
        assert_eq!(
            Password::parse("  spaces  ").expect("ok").expose(),
            "  spaces  "
        );
        assert!(
            Password::parse("alleenkleineletters").is_ok(),
            "no composition rules"
        );
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let password = Password::parse("correct horse battery staple").expect("ok");
        assert_eq!(format!("{password:?}"), "Password(***)");
    }

    #[test]
    fn every_problem_has_a_message_in_both_languages() {
        for problem in [
            PasswordProblem::TooShort { min: 8 },
            PasswordProblem::TooLong { max: 1024 },
            PasswordProblem::TooWeak,
        ] {
            let (nl, en) = (problem.message(Lang::Nl), problem.message(Lang::En));
            assert!(!nl.is_empty() && !en.is_empty() && nl != en);
        }
    }

    proptest! {
        #[test]
        fn a_password_is_accepted_exactly_when_it_has_8_to_1024_characters_and_is_kept_as_typed(
            chars in prop::collection::vec(any::<char>(), 0..1100),
        ) {
            let input: String = chars.iter().collect();
            let fits = (Password::MIN_CHARS..=Password::MAX_CHARS).contains(&chars.len());
            match Password::parse(input.clone()) {
                Ok(password) => {
                    prop_assert!(fits);
                    prop_assert_eq!(password.expose(), input.as_str());
                }
                Err(PasswordProblem::TooShort { min }) => {
                    prop_assert!(chars.len() < min);
                }
                Err(PasswordProblem::TooLong { max }) => {
                    prop_assert!(chars.len() > max);
                }
                Err(PasswordProblem::TooWeak) => prop_assert!(false, "parse does not judge strength"),
            }
        }

        #[test]
        fn no_accepted_password_shows_in_debug_output(input in "[a-zA-Z0-9 ]{9,40}") {
            let password = Password::parse(input.clone()).expect("long enough");
            let shown = format!("{password:?}");
            prop_assert!(!shown.contains(&input));
        }
    }
}
