//! Configuration: embedded defaults (`config/defaults.toml`), then an optional file, then `APP_*`
//! environment variables. Every value is parsed here, and a bad one names its key.

use domain::{
    Authority, ClientFacts, ConsentCookie, CookieRegistry, DataCategory, EmailAddress, Localized,
    Organisation, ProviderFacts, RetentionRule, SubProcessor, cookies,
};
use figment::{
    Figment, Provider,
    providers::{Env, Format, Toml},
};
use secrecy::SecretString;
use serde::Deserialize;
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};
use store::DatabaseUrl;
use url::Url;
use workflows::{
    erasure::ErasureSettings,
    export::ExportSettings,
    jobs::JobSettings,
    mail::{MailSettings, SmtpTls},
};

const DEFAULTS: &str = include_str!("../config/defaults.toml");

/// The longest any duration in the configuration may be. The portal adds its durations to the
/// clock (sessions, job leases and retries, the erasure's cool-off, an export's lifetime) and a
/// session cookie's expiry to the date (the `time` crate ends at the year 9999); far longer
/// values overflowed there and panicked at run time, long after the configuration was accepted.
const LONGEST: Duration = Duration::from_secs(100 * 366 * 24 * 60 * 60);

/// The portal's settings and the client's facts, all parsed.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: DatabaseUrl,
    pub public_url: Url,
    pub environment: Environment,
    pub site_root: PathBuf,
    pub session: SessionSettings,
    pub mail: MailConfig,
    pub provider_api: ProviderApi,
    pub jobs: JobSettings,
    pub exports: ExportSettings,
    pub erasure: ErasureSettings,
    /// The zone request deadlines are counted and shown in (an IANA name).
    pub time_zone: chrono_tz::Tz,
    pub facts: Arc<ClientFacts>,
    /// Every cookie the portal may set, and the cookie statement's version.
    pub cookies: Arc<CookieRegistry>,
    /// When the retention purge runs (cron, in `time_zone`).
    pub retention_schedule: croner::Cron,
    pub log_format: LogFormat,
    pub metrics: MetricsAccess,
    /// Reverse proxies whose `X-Forwarded-For` is believed; from anyone else it is ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Certificate and key files when the portal serves HTTPS itself.
    pub tls: Option<TlsFiles>,
}

/// How log lines are written: `text` for people, `json` for a log collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Who may read `/metrics`: clients from these networks, or anyone with the bearer token.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsAccess {
    pub allow: Vec<ipnet::IpNet>,
    /// Empty: no token opens it.
    pub token: SecretString,
}

/// PEM files for serving HTTPS directly (without a reverse proxy in front).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Where the provider's API is and how the portal authenticates to it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderApi {
    pub base_url: Url,
    pub api_key: SecretString,
    #[serde(with = "humantime_serde")]
    pub attempt_timeout: Duration,
    /// After repeated failed calls the provider is left alone this long.
    #[serde(with = "humantime_serde")]
    pub circuit_cooldown: Duration,
}

impl ProviderApi {
    /// The key `make run`'s stand-in expects; refused in production.
    pub const STAND_IN_KEY: &str = "stand-in-key-for-local-runs";
}

/// How mail leaves the portal and how often the queue is looked at.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub settings: MailSettings,
    pub poll_interval: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Transport {
    File,
    Smtp,
}

/// The `mail` table as written: flat, so one environment variable can switch the transport.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMail {
    transport: Transport,
    from: String,
    outbox: PathBuf,
    host: String,
    port: u16,
    tls: SmtpTls,
    username: Option<String>,
    password: Option<SecretString>,
    #[serde(with = "humantime_serde")]
    poll_interval: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSettings {
    #[serde(with = "humantime_serde")]
    pub idle_timeout: Duration,
    #[serde(with = "humantime_serde")]
    pub absolute_lifetime: Duration,
    /// How long a password check counts for the step-up before sensitive actions.
    #[serde(with = "humantime_serde")]
    pub reauth_valid: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

/// The configuration as written: the shape of `defaults.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    listen: SocketAddr,
    database_url: String,
    public_url: Url,
    environment: Environment,
    site_root: PathBuf,
    session: SessionSettings,
    mail: RawMail,
    provider_api: ProviderApi,
    jobs: JobSettings,
    organisation: Organisation,
    privacy_contact: EmailAddress,
    authority: Authority,
    provider: ProviderFacts,
    sub_processors: Vec<SubProcessor>,
    retention: Vec<RetentionRule>,
    catalogue: Vec<DataCategory>,
    automated_decisions: Localized,
    exports: ExportSettings,
    erasure: ErasureSettings,
    time_zone: chrono_tz::Tz,
    cookies: CookieRegistry,
    retention_schedule: String,
    log_format: LogFormat,
    metrics: MetricsAccess,
    trusted_proxies: Vec<ipnet::IpNet>,
    tls: TlsFiles,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the configuration file {0} does not exist")]
    MissingFile(PathBuf),
    /// Each problem names its key and where the value came from.
    #[error("{}", describe(.0))]
    Invalid(Box<figment::Error>),
    #[error("key `{key}` {problem}")]
    Rule { key: String, problem: String },
}

/// One line per problem: "`listen`: invalid socket address syntax (from `APP_` environment
/// variable(s))", so the key is named the way the configuration file writes it.
fn describe(error: &figment::Error) -> String {
    error
        .clone()
        .into_iter()
        .map(|e| {
            let key = e.path.join(".").to_lowercase();
            let origin = match &e.metadata {
                Some(meta) => match &meta.source {
                    Some(figment::Source::File(file)) => format!(" (in {})", file.display()),
                    _ => format!(" (from {})", meta.name),
                },
                None => String::new(),
            };
            if key.is_empty() {
                format!("{}{origin}", e.kind)
            } else {
                format!("`{key}`: {}{origin}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl Config {
    /// Defaults, then the file (if any), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_with(file, Figment::new())
    }

    /// Like [`Config::load`], with `overrides` merged last (tests use this).
    pub fn load_with(file: Option<&Path>, overrides: impl Provider) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        if let Some(file) = file {
            if !file.is_file() {
                return Err(ConfigError::MissingFile(file.to_owned()));
            }
            figment = figment.merge(Toml::file(file));
        }
        let figment = figment
            .merge(Env::prefixed("APP_").split("__").ignore(&["config"]))
            .merge(overrides);
        Self::from_raw(
            figment
                .extract()
                .map_err(|e| ConfigError::Invalid(Box::new(e)))?,
        )
    }

    fn from_raw(raw: Raw) -> Result<Self, ConfigError> {
        let rule = |key: &str, problem: String| ConfigError::Rule {
            key: key.to_owned(),
            problem,
        };
        for (key, duration) in [
            ("session.idle_timeout", raw.session.idle_timeout),
            ("session.absolute_lifetime", raw.session.absolute_lifetime),
            ("session.reauth_valid", raw.session.reauth_valid),
            ("mail.poll_interval", raw.mail.poll_interval),
            (
                "provider_api.attempt_timeout",
                raw.provider_api.attempt_timeout,
            ),
            (
                "provider_api.circuit_cooldown",
                raw.provider_api.circuit_cooldown,
            ),
            ("jobs.poll_interval", raw.jobs.poll_interval),
            ("jobs.lease", raw.jobs.lease),
            ("jobs.retry_base", raw.jobs.retry_base),
            ("jobs.retry_max", raw.jobs.retry_max),
            ("jobs.operation_poll", raw.jobs.operation_poll),
            ("exports.keep", raw.exports.keep),
            ("erasure.cool_off", raw.erasure.cool_off),
        ] {
            if duration > LONGEST {
                return Err(rule(key, "must be at most 100 years".into()));
            }
        }
        let database_url = DatabaseUrl::parse(&raw.database_url)
            .map_err(|e| rule("database_url", e.to_string()))?;
        if !matches!(raw.public_url.scheme(), "http" | "https") {
            return Err(rule("public_url", "must be an http or https URL".into()));
        }
        if raw.session.idle_timeout < Duration::from_secs(60) {
            return Err(rule("session.idle_timeout", "must be at least 1m".into()));
        }
        if raw.session.absolute_lifetime < raw.session.idle_timeout {
            return Err(rule(
                "session.absolute_lifetime",
                "must not be shorter than session.idle_timeout".into(),
            ));
        }
        let mail = raw.mail;
        if mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(rule(
                "mail.from",
                "must be an address, optionally with a name: Name <address>".into(),
            ));
        }
        let settings = match mail.transport {
            Transport::File => MailSettings::File {
                from: mail.from,
                outbox: mail.outbox,
            },
            Transport::Smtp if mail.host.trim().is_empty() => {
                return Err(rule("mail.host", "must name the SMTP server".into()));
            }
            Transport::Smtp => MailSettings::Smtp {
                from: mail.from,
                host: mail.host,
                port: mail.port,
                tls: mail.tls,
                username: mail.username,
                password: mail.password,
            },
        };
        if mail.poll_interval < Duration::from_millis(50) {
            return Err(rule("mail.poll_interval", "must be at least 50ms".into()));
        }
        let mail = MailConfig {
            settings,
            poll_interval: mail.poll_interval,
        };
        let provider_api = raw.provider_api;
        if !matches!(provider_api.base_url.scheme(), "http" | "https") {
            return Err(rule(
                "provider_api.base_url",
                "must be an http or https URL".into(),
            ));
        }
        if raw.environment == Environment::Production {
            use secrecy::ExposeSecret;
            if provider_api.api_key.expose_secret() == ProviderApi::STAND_IN_KEY {
                return Err(rule(
                    "provider_api.api_key",
                    "is the stand-in's key; set the provider's real key in production".into(),
                ));
            }
            if provider_api.base_url.scheme() != "https" {
                return Err(rule(
                    "provider_api.base_url",
                    "must be https in production".into(),
                ));
            }
        }
        if provider_api.attempt_timeout < Duration::from_millis(100) {
            return Err(rule(
                "provider_api.attempt_timeout",
                "must be at least 100ms".into(),
            ));
        }
        let jobs = raw.jobs;
        if jobs.concurrency == 0 || jobs.concurrency > 256 {
            return Err(rule("jobs.concurrency", "must be 1 to 256".into()));
        }
        if jobs.lease < provider_api.attempt_timeout.saturating_mul(8) {
            return Err(rule(
                "jobs.lease",
                "must outlast a job's calls: at least 8 times provider_api.attempt_timeout".into(),
            ));
        }
        if jobs.poll_interval < Duration::from_millis(50) {
            return Err(rule("jobs.poll_interval", "must be at least 50ms".into()));
        }
        if jobs.retry_max < jobs.retry_base {
            return Err(rule(
                "jobs.retry_max",
                "must not be shorter than jobs.retry_base".into(),
            ));
        }
        let facts = ClientFacts {
            organisation: raw.organisation,
            privacy_contact: raw.privacy_contact,
            authority: raw.authority,
            provider: raw.provider,
            sub_processors: raw.sub_processors,
            retention: raw.retention,
            catalogue: raw.catalogue,
            automated_decisions: raw.automated_decisions,
            time_zone: raw.time_zone,
        };
        facts
            .validate()
            .map_err(|e| rule(&e.key, e.problem.to_owned()))?;
        let mut cookies = raw.cookies;
        cookies
            .validate()
            .map_err(|e| rule("cookies", e.to_string()))?;
        // The session cookie lives as long as an idle session: the statement says so.
        let idle = cookies::Lifetime::from_seconds(raw.session.idle_timeout.as_secs().max(60));
        for item in cookies.items.iter_mut().filter(|i| i.name == "session") {
            item.lifetime = idle;
        }
        for required in ["session", ConsentCookie::NAME] {
            if cookies.find(required).is_none() {
                return Err(rule(
                    "cookies.items",
                    format!("must list the technical cookie {required:?}"),
                ));
            }
        }
        let retention_schedule = croner::parser::CronParser::builder()
            .seconds(croner::parser::Seconds::Optional)
            .build()
            .parse(&raw.retention_schedule)
            .map_err(|e| rule("retention_schedule", format!("is not a cron schedule: {e}")))?;
        let tls = match (
            raw.tls.cert.as_os_str().is_empty(),
            raw.tls.key.as_os_str().is_empty(),
        ) {
            (true, true) => None,
            (false, false) => Some(raw.tls),
            _ => {
                return Err(rule(
                    "tls",
                    "needs both `cert` and `key` (or neither, behind a proxy)".into(),
                ));
            }
        };
        Ok(Self {
            listen: raw.listen,
            database_url,
            public_url: raw.public_url,
            environment: raw.environment,
            site_root: raw.site_root,
            session: raw.session,
            mail,
            provider_api,
            jobs,
            exports: raw.exports,
            erasure: raw.erasure,
            time_zone: raw.time_zone,
            facts: Arc::new(facts),
            cookies: Arc::new(cookies),
            retention_schedule,
            log_format: raw.log_format,
            metrics: raw.metrics,
            trusted_proxies: raw.trusted_proxies,
            tls,
        })
    }

    /// Whether the portal is reached over TLS (then it sends HSTS and secure cookies).
    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// The session cookie's name: `__Host-` prefixed over https, so the browser insists on
    /// Secure, Path=/ and no Domain; a plain name on http://localhost, where that prefix is
    /// refused.
    pub fn session_cookie_name(&self) -> &'static str {
        if self.is_https() {
            "__Host-session"
        } else {
            "session"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::providers::Serialized;

    fn with(key: &str, value: &str) -> Result<Config, ConfigError> {
        Config::load_with(None, Serialized::default(key, value))
    }

    #[test]
    fn a_schedule_that_is_not_cron_and_half_a_tls_pair_are_refused_by_name() {
        let error = with("retention_schedule", "every night").expect_err("not cron");
        assert!(error.to_string().contains("retention_schedule"), "{error}");
        let error = with("tls.cert", "/etc/portal/cert.pem").expect_err("no key");
        assert!(error.to_string().contains("`tls`"), "{error}");
        let error = with("trusted_proxies", "10.0.0.1").expect_err("not a list");
        assert!(error.to_string().contains("trusted_proxies"), "{error}");
    }

    #[test]
    fn the_defaults_alone_make_a_working_configuration_with_the_clients_facts() {
        let config = Config::load_with(None, Figment::new()).expect("defaults load");
        assert_eq!(
            config.facts.privacy_contact.as_str(),
            "privacy@Cloud4Companies.nl"
        );
        assert_eq!(config.facts.organisation.name, "Cloud4Companies");
        assert_eq!(config.facts.authority.name, "Autoriteit Persoonsgegevens");
        assert_eq!(config.facts.provider.display_name, "Operator Online");
        assert!(config.facts.retention_rule("invoices").is_some());
        assert!(config.facts.retention.len() >= 10);
    }

    #[test]
    fn the_cookie_registry_lists_every_cookie_the_portal_sets_and_the_session_follows_its_timeout()
    {
        let config = Config::load_with(None, Figment::new().merge(("session.idle_timeout", "45m")))
            .expect("defaults load");
        for (name, category) in [
            ("session", domain::Category::Technical),
            ("portal_consent", domain::Category::Technical),
            ("portal_lang", domain::Category::Functional),
            ("portal_visit", domain::Category::Analytical),
        ] {
            assert_eq!(
                config.cookies.find(name).map(|c| c.category),
                Some(category)
            );
        }
        let session = config.cookies.find("session").map(|c| c.lifetime.seconds());
        assert_eq!(session, Some(45 * 60));
        let refused = Config::load_with(None, Figment::new().merge(("cookies.version", "a b")));
        assert!(matches!(refused, Err(ConfigError::Rule { key, .. }) if key == "cookies"));
    }

    #[test]
    fn a_bad_value_is_refused_with_its_key_named() {
        for (key, value) in [
            ("listen", "not-an-address"),
            ("public_url", "nota url"),
            ("privacy_contact", "privacy-at-example"),
            ("environment", "staging"),
            ("database_url", "mysql://localhost/portal"),
            ("public_url", "ftp://example.nl"),
        ] {
            let error = with(key, value).expect_err(key).to_string();
            assert!(error.contains(key), "{key}: {error}");
        }
    }

    #[test]
    fn session_limits_are_read_as_durations_and_must_make_sense() {
        let config = Config::load_with(None, Figment::new()).expect("defaults");
        assert_eq!(config.session.idle_timeout, Duration::from_secs(30 * 60));
        assert_eq!(
            config.session.absolute_lifetime,
            Duration::from_secs(12 * 3600)
        );
        let error = with("session.idle_timeout", "half an hour")
            .expect_err("bad")
            .to_string();
        assert!(error.contains("session.idle_timeout"), "{error}");
        let error = with("session.absolute_lifetime", "10m")
            .expect_err("shorter")
            .to_string();
        assert!(error.contains("session.absolute_lifetime"), "{error}");
    }

    #[test]
    fn the_provider_api_and_jobs_are_read_and_the_stand_ins_key_is_refused_in_production() {
        let config = Config::load_with(None, Figment::new()).expect("defaults");
        assert_eq!(
            config.provider_api.base_url.as_str(),
            "http://127.0.0.1:3100/"
        );
        assert_eq!(config.jobs.concurrency, 8);
        assert!(
            !format!("{:?}", config.provider_api).contains(ProviderApi::STAND_IN_KEY),
            "the key is a secret, not in Debug"
        );
        for (key, value, named) in [
            (
                "provider_api.base_url",
                "ftp://provider.example",
                "provider_api.base_url",
            ),
            (
                "provider_api.attempt_timeout",
                "1ms",
                "provider_api.attempt_timeout",
            ),
            ("jobs.concurrency", "0", "jobs.concurrency"),
            ("jobs.lease", "5s", "jobs.lease"),
            ("jobs.retry_max", "1s", "jobs.retry_max"),
            ("environment", "production", "provider_api.api_key"),
        ] {
            let error = Config::load_with(None, Serialized::default(key, value))
                .expect_err(key)
                .to_string();
            assert!(error.contains(named), "{key}: {error}");
        }
        let real = Config::load_with(
            None,
            Serialized::defaults(serde_json::json!({
                "environment": "production",
                "provider_api": { "base_url": "https://api.operator-online.example", "api_key": "a-real-key-from-the-provider" },
            })),
        );
        assert!(real.is_ok(), "{:?}", real.err());
    }

    #[test]
    fn the_default_catalogue_holds_every_category_of_the_policy_each_with_its_retention_rule() {
        let config = Config::load_with(None, Figment::new()).expect("defaults");
        let ids: Vec<&str> = config
            .facts
            .catalogue()
            .map(|d| d.category.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "account",
                "contact-messages",
                "quote-requests",
                "consent-records",
                "sign-in-logs",
                "technical-logs",
                "rights-requests",
                "invoices",
                "provider-numbers-services",
                "provider-directory",
                "provider-porting",
                "provider-usage",
            ]
        );
        for described in config.facts.catalogue() {
            let held_by = described.held_by();
            let at_provider = described.category.id.starts_with("provider-");
            assert_eq!(
                held_by == domain::Holder::Provider,
                at_provider,
                "{}",
                described.category.id
            );
        }

        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("portal.toml");
        std::fs::write(
            &file,
            r#"
            [[catalogue]]
            id = "account"
            retention = "no-such-rule"
            title = { nl = "Account", en = "Account" }
            fields = { nl = "Naam", en = "Name" }
            recipients = []
            source = { nl = "Jij", en = "You" }
            "#,
        )
        .expect("write");
        let error = Config::load_with(Some(&file), Figment::new())
            .expect_err("an unknown rule")
            .to_string();
        assert!(error.contains("catalogue[0].retention"), "{error}");
    }

    #[test]
    fn a_duration_of_more_than_a_hundred_years_is_refused_by_name() {
        // Found by the fuzz target `configuration`: `jobs.lease = "300000years"` was accepted,
        // and the job runner panicked adding it to the clock.
        for key in [
            "session.idle_timeout",
            "session.absolute_lifetime",
            "session.reauth_valid",
            "mail.poll_interval",
            "provider_api.attempt_timeout",
            "provider_api.circuit_cooldown",
            "jobs.poll_interval",
            "jobs.lease",
            "jobs.retry_base",
            "jobs.retry_max",
            "jobs.operation_poll",
            "exports.keep",
            "erasure.cool_off",
        ] {
            let error = with(key, "300000years").expect_err(key).to_string();
            assert!(
                error.contains(key) && error.contains("100 years"),
                "{key}: {error}"
            );
        }
        let config = Config::load_with(None, Serialized::default("erasure.cool_off", "100years"));
        assert!(config.is_ok(), "{:?}", config.err());
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_name() {
        let error = with("listn", "127.0.0.1:3000")
            .expect_err("typo")
            .to_string();
        assert!(error.contains("listn"), "{error}");
    }

    #[test]
    fn a_missing_configuration_file_is_an_error_not_silently_ignored() {
        let error = Config::load(Some(Path::new("/nonexistent/portal.toml"))).expect_err("missing");
        assert!(error.to_string().contains("/nonexistent/portal.toml"));
    }

    #[test]
    fn a_file_overrides_the_defaults_and_a_bad_retention_period_names_its_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("portal.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:4000\"\n[organisation]\nname = \"Example BV\"\n",
        )
        .expect("write");
        let config = Config::load_with(Some(&file), Figment::new()).expect("file loads");
        assert_eq!(config.listen.port(), 4000);
        assert_eq!(config.facts.organisation.name, "Example BV");

        let one_bad_rule = r#"
            [[retention]]
            id = "technical-logs"
            held_by = "portal"
            categories = { nl = "Logboeken", en = "Logs" }
            purpose = { nl = "Beveiliging", en = "Security" }
            basis = "legitimate-interest"
            ground = { nl = "Kort", en = "Briefly" }
            period = "two weeks"
            trigger = "collected"
        "#;
        std::fs::write(&file, one_bad_rule).expect("write");
        let error = Config::load_with(Some(&file), Figment::new())
            .expect_err("bad period")
            .to_string();
        assert!(
            error.contains("retention") && error.contains("period"),
            "{error}"
        );
        assert!(
            error.contains("portal.toml"),
            "names the file the value came from: {error}"
        );
    }
}
