//! The client's facts: who the controller is, whom to write to, where to complain, who the
//! external provider is, and the retention matrix. Configuration, with the client's own values
//! as defaults (see `server/config/defaults.toml`).

use crate::{
    catalogue::{DataCategory, Described},
    email::EmailAddress,
    lang::Localized,
    retention::RetentionRule,
};
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientFacts {
    pub organisation: Organisation,
    /// Where the policy tells people to send requests, questions, tips and complaints.
    pub privacy_contact: EmailAddress,
    pub authority: Authority,
    pub provider: ProviderFacts,
    /// The external provider's sub-processors, disclosed on request (never on public pages).
    pub sub_processors: Vec<SubProcessor>,
    /// The retention matrix ("Bewaartermijnmatrix").
    pub retention: Vec<RetentionRule>,
    /// Every category of personal data held about an account holder.
    pub catalogue: Vec<DataCategory>,
    /// Whether decisions are made about people by automated means alone, including profiling
    /// (Art. 15(1)(h) GDPR), in the client's words.
    pub automated_decisions: Localized,
    /// The zone the company works in: every time a person reads is shown in it, and the
    /// rights requests' deadlines are counted in it (configuration: `time_zone`).
    #[serde(default = "amsterdam")]
    pub time_zone: chrono_tz::Tz,
}

fn amsterdam() -> chrono_tz::Tz {
    chrono_tz::Europe::Amsterdam
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
}

/// The supervisory authority people may complain to (Art. 77 GDPR).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub name: String,
    pub complaint_url: Url,
}

/// The external wholesale provider, as the portal names it to its users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderFacts {
    /// The name shown next to data held at the provider, e.g. "Operator Online".
    pub display_name: String,
    /// Who the provider is (legal name, seat, registration), given on request as the policy
    /// promises ("Identiteit"), never on public pages.
    pub identity: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubProcessor {
    pub name: String,
    pub service: Localized,
    pub location: String,
}

/// A rule the facts break, named by its configuration key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct InvalidFacts {
    pub key: String,
    pub problem: &'static str,
}

impl ClientFacts {
    /// Times as people read them, in the company's zone.
    pub fn local_time(&self) -> crate::LocalTime {
        crate::LocalTime::new(self.time_zone)
    }

    /// Rules that serde cannot express: names present, matrix ids unique and non-empty.
    pub fn validate(&self) -> Result<(), InvalidFacts> {
        let blank = |key: &str, value: &str| {
            if value.trim().is_empty() {
                Err(InvalidFacts {
                    key: key.to_owned(),
                    problem: "must not be empty",
                })
            } else {
                Ok(())
            }
        };
        blank("organisation.name", &self.organisation.name)?;
        blank("authority.name", &self.authority.name)?;
        blank("provider.display_name", &self.provider.display_name)?;
        if self.retention.is_empty() {
            return Err(InvalidFacts {
                key: "retention".into(),
                problem: "the retention matrix needs at least one rule",
            });
        }
        for (i, rule) in self.retention.iter().enumerate() {
            let key = format!("retention[{i}].id");
            blank(&key, &rule.id)?;
            if self.retention[..i]
                .iter()
                .any(|earlier| earlier.id == rule.id)
            {
                return Err(InvalidFacts {
                    key,
                    problem: "is used by an earlier rule; ids must be unique",
                });
            }
        }
        if self.catalogue.is_empty() {
            return Err(InvalidFacts {
                key: "catalogue".into(),
                problem: "the data catalogue needs at least one category",
            });
        }
        for (i, category) in self.catalogue.iter().enumerate() {
            let key = format!("catalogue[{i}].id");
            blank(&key, &category.id)?;
            if self.catalogue[..i].iter().any(|c| c.id == category.id) {
                return Err(InvalidFacts {
                    key,
                    problem: "is used by an earlier category; ids must be unique",
                });
            }
            if self.retention_rule(&category.retention).is_none() {
                return Err(InvalidFacts {
                    key: format!("catalogue[{i}].retention"),
                    problem: "names no rule of the retention matrix",
                });
            }
        }
        Ok(())
    }

    /// Every category of the catalogue with its retention rule, in the configured order.
    /// [`ClientFacts::validate`] has made sure every category has its rule.
    pub fn catalogue(&self) -> impl Iterator<Item = Described<'_>> {
        self.catalogue.iter().filter_map(|category| {
            Some(Described {
                category,
                rule: self.retention_rule(&category.retention)?,
            })
        })
    }

    /// The rule with this id, if the matrix has one.
    pub fn retention_rule(&self, id: &str) -> Option<&RetentionRule> {
        self.retention.iter().find(|rule| rule.id == id)
    }
}
