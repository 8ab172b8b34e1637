//! E-mail addresses, parsed once at the edge.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// A syntactically valid e-mail address (RFC 5322 addr-spec, via the `email_address` crate).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not a valid e-mail address")]
pub struct InvalidEmail;

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, InvalidEmail> {
        let trimmed = input.trim();
        // A bare domain part (no dot) is legal in RFC 5322 but never what a person means here.
        let has_dotted_domain = trimmed
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
        if has_dotted_domain && email_address::EmailAddress::is_valid(trimmed) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form accounts are looked up and kept unique by: `Jan@Example.nl` and `jan@example.nl`
    /// are one account.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    /// For log lines, which must never hold an address: `j***@e***.nl`. The domain goes too:
    /// for a one-person business it names the person as well as the local part does.
    pub fn redacted(&self) -> String {
        match self.0.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                let initial: String = domain.chars().take(1).collect();
                let tld = domain.rsplit_once('.').map_or("", |(_, tld)| tld);
                format!("{first}***@{initial}***.{tld}")
            }
            None => "***".to_owned(),
        }
    }
}

impl FromStr for EmailAddress {
    type Err = InvalidEmail;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = InvalidEmail;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_clients_privacy_address_is_valid() {
        let email = EmailAddress::parse(" privacy@Cloud4Companies.nl ").expect("valid");
        assert_eq!(email.as_str(), "privacy@Cloud4Companies.nl");
    }

    #[test]
    fn the_key_ignores_case_and_the_log_form_hides_the_mailbox() {
        let email = EmailAddress::parse("Jan.Jansen@Example.nl").expect("valid");
        assert_eq!(email.key(), "jan.jansen@example.nl");
        assert_eq!(email.redacted(), "J***@E***.nl");
    }

    #[test]
    fn addresses_without_an_at_sign_or_a_dotted_domain_are_refused() {
        for bad in [
            "",
            "privacy",
            "privacy@",
            "@example.nl",
            "a@localhost",
            "a b@x.nl",
            "a@x.",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(InvalidEmail), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn no_text_makes_the_parser_panic_and_an_accepted_address_is_the_trimmed_text_and_parses_again_to_itself(
            input in "\\PC{0,40}|[a-zA-Z0-9.@ _+\"-]{0,30}",
        ) {
            if let Ok(email) = EmailAddress::parse(&input) {
                prop_assert_eq!(email.as_str(), input.trim());
                prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
                prop_assert_eq!(email.key(), email.as_str().to_lowercase());
            }
        }

        #[test]
        fn an_ordinary_address_with_a_dotted_domain_is_accepted_and_its_log_form_keeps_one_letter_of_the_mailbox(
            local in "[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){0,2}",
            domain in "[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){0,2}\\.[a-z]{2,6}",
        ) {
            let text = format!("{local}@{domain}");
            let email = EmailAddress::parse(&text).expect("an ordinary address");
            let redacted = email.redacted();
            prop_assert!(redacted.starts_with(&format!("{}***@", &local[..1])), "{}", redacted);
        }

        #[test]
        fn an_address_survives_serialization(
            local in "[a-z0-9]{1,10}", domain in "[a-z0-9]{1,10}\\.[a-z]{2,6}",
        ) {
            let email = EmailAddress::parse(&format!("{local}@{domain}")).expect("valid");
            let json = serde_json::to_string(&email).expect("serializes");
            prop_assert_eq!(serde_json::from_str::<EmailAddress>(&json).expect("reads"), email);
        }
    }
}
