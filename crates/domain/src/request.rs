//! Requests to exercise a right (GDPR Arts 15–22) and what the policy offers "on request": the
//! kinds a person can file, where a request stands, and the free text that comes with one.

use serde::{Deserialize, Serialize};

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestKind {
    /// Art. 15: a copy of the data and the facts about it.
    Access,
    /// Art. 16: a correction, or a supplementary statement completing the data.
    Rectification,
    /// Art. 17.
    Erasure,
    /// Art. 18.
    Restriction,
    /// Art. 20.
    Portability,
    /// Art. 21: to processing on legitimate interests, or to direct marketing.
    Objection,
    /// The identity of the external provider, which the policy gives on request.
    ProviderIdentity,
    /// The provider's sub-processors, which the policy gives on request.
    SubProcessors,
    /// A question, tip or complaint.
    Question,
}

impl RequestKind {
    pub const ALL: [RequestKind; 9] = [
        RequestKind::Access,
        RequestKind::Rectification,
        RequestKind::Erasure,
        RequestKind::Restriction,
        RequestKind::Portability,
        RequestKind::Objection,
        RequestKind::ProviderIdentity,
        RequestKind::SubProcessors,
        RequestKind::Question,
    ];

    /// The kinds the holder files from "Mijn gegevens" with a statement or reason.
    pub const FILED_WITH_STATEMENT: [RequestKind; 3] = [
        RequestKind::Rectification,
        RequestKind::Restriction,
        RequestKind::Objection,
    ];

    /// The kinds filed from "Mijn verzoeken" with free text; access, portability and erasure
    /// are self-service (the export and the deletion file and close their own).
    pub const FILED_FROM_PORTAL: [RequestKind; 6] = [
        RequestKind::ProviderIdentity,
        RequestKind::SubProcessors,
        RequestKind::Question,
        RequestKind::Rectification,
        RequestKind::Restriction,
        RequestKind::Objection,
    ];

    /// Whether the answer is a fact the company publishes on request, given from
    /// configuration with one click.
    pub fn is_disclosure(self) -> bool {
        matches!(
            self,
            RequestKind::ProviderIdentity | RequestKind::SubProcessors
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Rectification => "rectification",
            RequestKind::Erasure => "erasure",
            RequestKind::Restriction => "restriction",
            RequestKind::Portability => "portability",
            RequestKind::Objection => "objection",
            RequestKind::ProviderIdentity => "provider-identity",
            RequestKind::SubProcessors => "sub-processors",
            RequestKind::Question => "question",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == input)
    }

    /// The kind in words, with the article of the GDPR it rests on.
    pub fn describe(self, lang: crate::Lang) -> &'static str {
        let (nl, en) = match self {
            RequestKind::Access => ("Inzage (art. 15)", "Access (Art. 15)"),
            RequestKind::Rectification => (
                "Correctie of aanvulling (art. 16)",
                "Correction or supplement (Art. 16)",
            ),
            RequestKind::Erasure => ("Verwijdering (art. 17)", "Erasure (Art. 17)"),
            RequestKind::Restriction => ("Beperking (art. 18)", "Restriction (Art. 18)"),
            RequestKind::Portability => ("Overdraagbaarheid (art. 20)", "Portability (Art. 20)"),
            RequestKind::Objection => ("Bezwaar (art. 21)", "Objection (Art. 21)"),
            RequestKind::ProviderIdentity => ("Wie onze leverancier is", "Who our provider is"),
            RequestKind::SubProcessors => (
                "Subverwerkers van onze leverancier",
                "Our provider's sub-processors",
            ),
            RequestKind::Question => ("Vraag, tip of klacht", "Question, tip or complaint"),
        };
        match lang {
            crate::Lang::Nl => nl,
            crate::Lang::En => en,
        }
    }

    /// Whether a correction or restriction it leads to must be passed on to the recipients of
    /// the data (Art. 19).
    pub fn tells_recipients(self) -> bool {
        matches!(
            self,
            RequestKind::Rectification | RequestKind::Erasure | RequestKind::Restriction
        )
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestStatus {
    Open,
    Closed,
    Cancelled,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Closed => "closed",
            RequestStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        [
            RequestStatus::Open,
            RequestStatus::Closed,
            RequestStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == input)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum StatementProblem {
    #[error("is empty")]
    Empty,
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    #[error("holds characters that cannot be shown")]
    Control,
}

/// The longest statement or reason a request can carry.
pub const MAX_STATEMENT_CHARS: usize = 4000;

/// What the person writes with a request: trimmed, not empty, line breaks kept (each as `\n`:
/// browsers send `\r\n`, and a lone `\r` is a line break too), no other control characters.
pub fn statement(input: &str) -> Result<String, StatementProblem> {
    let text = input.trim();
    if text.is_empty() {
        return Err(StatementProblem::Empty);
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(StatementProblem::Control);
    }
    if text.chars().count() > MAX_STATEMENT_CHARS {
        return Err(StatementProblem::TooLong {
            max: MAX_STATEMENT_CHARS,
        });
    }
    // Both replacements, in this order: "\r\r\n" becomes two line breaks, never "\r\n" again.
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_kind_reads_back_from_its_own_word_and_nothing_else_does() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(RequestKind::parse("Rectification"), None);
        assert_eq!(RequestKind::parse(""), None);
    }

    #[test]
    fn a_statement_is_trimmed_keeps_its_lines_and_refuses_empty_or_hidden_characters() {
        assert_eq!(
            statement("  Mijn naam is Zoë.\r\nNiet Zoe.  "),
            Ok("Mijn naam is Zoë.\nNiet Zoe.".to_owned())
        );
        assert_eq!(statement(" \n\t "), Err(StatementProblem::Empty));
        assert_eq!(statement("a\u{0}b"), Err(StatementProblem::Control));
        assert_eq!(
            statement(&"x".repeat(MAX_STATEMENT_CHARS + 1)),
            Err(StatementProblem::TooLong {
                max: MAX_STATEMENT_CHARS
            })
        );
    }

    #[test]
    fn a_carriage_return_before_a_line_break_or_alone_becomes_a_plain_line_break() {
        // Found by the proptest below and the fuzz target `domain_parsers`: "\r\r\n" kept a
        // "\r\n", so reading a stored statement again changed it.
        assert_eq!(statement("a\r\r\nb"), Ok("a\n\nb".to_owned()));
        assert_eq!(statement("a\rb"), Ok("a\nb".to_owned()));
        assert_eq!(statement("a\r\nb"), Ok("a\nb".to_owned()));
    }

    proptest! {
        #[test]
        fn a_statement_is_normalised_once_and_for_all_with_plain_line_breaks(
            input in "[a \\r\\n\\t]{0,16}|\\PC{0,20}",
        ) {
            if let Ok(text) = statement(&input) {
                prop_assert!(!text.contains("\r\n"), "{:?}", text);
                prop_assert_eq!(statement(&text), Ok(text.clone()));
            }
        }

        #[test]
        fn only_a_kinds_own_word_reads_back_as_that_kind(input in "\\PC{0,20}|[a-z-]{4,17}") {
            if let Some(kind) = RequestKind::parse(&input) {
                prop_assert_eq!(kind.as_str(), input.as_str());
            }
            if let Some(status) = RequestStatus::parse(&input) {
                prop_assert_eq!(status.as_str(), input.as_str());
            }
        }

        #[test]
        fn an_accepted_statement_is_never_empty_nor_longer_than_the_limit(input in "\\PC{0,50}") {
            if let Ok(text) = statement(&input) {
                prop_assert!(!text.is_empty());
                prop_assert!(text.chars().count() <= MAX_STATEMENT_CHARS);
                prop_assert_eq!(text.trim(), text.as_str());
            }
        }
    }
}
