use std::{fmt, str::FromStr};

/// A database URL whose scheme names a supported backend: `sqlite://…` or `postgres://…`.
///
/// `Debug` and `Display` hide any password, so the URL can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    backend: Backend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must start with sqlite:// or postgres:// (got a URL with scheme {scheme:?})")]
pub struct InvalidDatabaseUrl {
    scheme: String,
}

impl DatabaseUrl {
    pub fn parse(input: &str) -> Result<Self, InvalidDatabaseUrl> {
        let scheme = input.split_once(':').map(|(s, _)| s).unwrap_or_default();
        let backend = match scheme {
            "sqlite" => Backend::Sqlite,
            "postgres" | "postgresql" => Backend::Postgres,
            _ => {
                return Err(InvalidDatabaseUrl {
                    scheme: scheme.chars().take(20).collect(),
                });
            }
        };
        Ok(Self {
            raw: input.to_owned(),
            backend,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL itself, secrets included: for the driver only.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match ::url::Url::parse(&self.raw) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("***"));
                url.to_string()
            }
            _ => self.raw.clone(),
        }
    }
}

impl FromStr for DatabaseUrl {
    type Err = InvalidDatabaseUrl;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DatabaseUrl")
            .field(&self.redacted())
            .finish()
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_selects_the_backend() {
        let sqlite = DatabaseUrl::parse("sqlite://data/portal.db").expect("sqlite");
        assert_eq!(sqlite.backend(), Backend::Sqlite);
        for pg in ["postgres://u@h/db", "postgresql://u@h/db"] {
            assert_eq!(
                DatabaseUrl::parse(pg).expect(pg).backend(),
                Backend::Postgres
            );
        }
    }

    #[test]
    fn other_schemes_are_refused_with_the_scheme_named() {
        let error = DatabaseUrl::parse("mysql://root@localhost/db").expect_err("mysql");
        assert!(error.to_string().contains("\"mysql\""), "{error}");
        assert!(DatabaseUrl::parse("data/portal.db").is_err());
    }

    #[test]
    fn passwords_never_show_when_the_url_is_printed() {
        let url = DatabaseUrl::parse("postgres://portal:s3cret@db:5432/portal").expect("pg");
        assert!(!format!("{url} {url:?}").contains("s3cret"));
        assert!(url.expose().contains("s3cret"));
    }
}
