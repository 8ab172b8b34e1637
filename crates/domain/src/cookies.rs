//! Cookies and consent: the registry of everything the portal may store in a browser, the four
//! categories the policy names, a visitor's choice, and the technical cookie that remembers it.
//!
//! The registry is configuration (the client's defaults in `server/config/defaults.toml`); the
//! server builds every `Set-Cookie` through it and refuses any other, and the cookie statement
//! is generated from it.

use crate::lang::{Lang, Localized};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The four kinds of cookies the policy names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Needed for the portal to work at all (signing in, remembering a cookie choice): exempt
    /// from consent (Telecommunicatiewet art. 11.7a lid 3).
    Technical,
    Functional,
    Analytical,
    Commercial,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Technical,
        Category::Functional,
        Category::Analytical,
        Category::Commercial,
    ];
    /// The categories a visitor chooses about.
    pub const OPTIONAL: [Category; 3] = [
        Category::Functional,
        Category::Analytical,
        Category::Commercial,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Technical => "technical",
            Category::Functional => "functional",
            Category::Analytical => "analytical",
            Category::Commercial => "commercial",
        }
    }

    pub const fn name(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, Category::Technical) => "Technisch noodzakelijk",
            (Lang::Nl, Category::Functional) => "Functioneel",
            (Lang::Nl, Category::Analytical) => "Analytisch",
            (Lang::Nl, Category::Commercial) => "Commercieel",
            (Lang::En, Category::Technical) => "Strictly necessary",
            (Lang::En, Category::Functional) => "Functional",
            (Lang::En, Category::Analytical) => "Analytical",
            (Lang::En, Category::Commercial) => "Commercial",
        }
    }

    /// What the category is for, in the visitor's words.
    pub const fn explanation(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, Category::Technical) => {
                "Nodig om in te loggen, formulieren veilig te versturen en je cookiekeuze te \
                 onthouden. Deze staan altijd aan; de wet vraagt er geen toestemming voor."
            }
            (Lang::Nl, Category::Functional) => {
                "Onthouden je voorkeuren, zoals de taal waarin je het portaal leest."
            }
            (Lang::Nl, Category::Analytical) => {
                "Helpen ons het aantal bezoekers per dag te tellen. Ze bevatten geen \
                 identificatienummer en we delen ze met niemand."
            }
            (Lang::Nl, Category::Commercial) => {
                "Voor aanbiedingen en advertenties die bij je passen. Het portaal gebruikt er \
                 nu geen; komen ze er, dan vragen we het je opnieuw."
            }
            (Lang::En, Category::Technical) => {
                "Needed to sign in, to send forms safely and to remember your cookie choice. \
                 They are always on; the law does not ask for consent to them."
            }
            (Lang::En, Category::Functional) => {
                "Remember your preferences, such as the language you read the portal in."
            }
            (Lang::En, Category::Analytical) => {
                "Help us count the visitors per day. They hold no identifier and we share them \
                 with no one."
            }
            (Lang::En, Category::Commercial) => {
                "For offers and advertising that suit you. The portal uses none now; if that \
                 changes, we ask you again."
            }
        }
    }
}

/// Whose cookie it is: ours, or another site's set through our pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    First,
    Third,
}

/// Where in the browser the item is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Storage {
    #[default]
    Cookie,
    LocalStorage,
    SessionStorage,
}

/// How long an item lives: `30min`, `12h`, `1d`, `365d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Lifetime {
    seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "is not a lifetime: write a whole number followed by min, h or d, e.g. \"30min\", \"365d\""
)]
pub struct InvalidLifetime;

impl Lifetime {
    pub const fn from_seconds(seconds: u64) -> Self {
        Self { seconds }
    }

    pub const fn seconds(self) -> u64 {
        self.seconds
    }

    pub fn parse(input: &str) -> Result<Self, InvalidLifetime> {
        let input = input.trim();
        let split = input
            .find(|c: char| !c.is_ascii_digit())
            .ok_or(InvalidLifetime)?;
        let amount: u64 = input[..split].parse().map_err(|_| InvalidLifetime)?;
        let unit = match &input[split..] {
            "min" => 60,
            "h" => 3_600,
            "d" => 86_400,
            _ => return Err(InvalidLifetime),
        };
        // At most about two years (the regulator's ceiling for a cookie is far below).
        match amount.checked_mul(unit) {
            Some(seconds) if seconds > 0 && seconds <= 800 * 86_400 => Ok(Self { seconds }),
            _ => Err(InvalidLifetime),
        }
    }

    /// "30 minuten", "1 dag", "365 dagen" / "30 minutes", "1 day", "365 days".
    pub fn describe(self, lang: Lang) -> String {
        let (n, unit) = if self.seconds.is_multiple_of(86_400) {
            (self.seconds / 86_400, ("dag", "dagen", "day", "days"))
        } else if self.seconds.is_multiple_of(3_600) {
            (self.seconds / 3_600, ("uur", "uur", "hour", "hours"))
        } else {
            (
                self.seconds.div_ceil(60),
                ("minuut", "minuten", "minute", "minutes"),
            )
        };
        let unit = match (lang, n == 1) {
            (Lang::Nl, true) => unit.0,
            (Lang::Nl, false) => unit.1,
            (Lang::En, true) => unit.2,
            (Lang::En, false) => unit.3,
        };
        format!("{n} {unit}")
    }
}

impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds.is_multiple_of(86_400) {
            write!(f, "{}d", self.seconds / 86_400)
        } else if self.seconds.is_multiple_of(3_600) {
            write!(f, "{}h", self.seconds / 3_600)
        } else {
            write!(f, "{}min", self.seconds.div_ceil(60))
        }
    }
}

impl TryFrom<String> for Lifetime {
    type Error = InvalidLifetime;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Lifetime> for String {
    fn from(value: Lifetime) -> Self {
        value.to_string()
    }
}

/// One item the portal can store in a browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CookieSpec {
    /// The name without a `__Host-` prefix (the server adds it over https).
    pub name: String,
    pub category: Category,
    pub purpose: Localized,
    pub lifetime: Lifetime,
    pub party: Party,
    #[serde(default)]
    pub storage: Storage,
}

/// Every cookie and storage item the portal can set, and the version of the statement that
/// lists them: when the version changes, every visitor is asked again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CookieRegistry {
    pub version: String,
    pub items: Vec<CookieSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("the cookie statement version must be 1 to 40 letters, digits, '.', '-' or '_'")]
    Version,
    #[error("a cookie name must be 1 to 64 letters, digits, '-' or '_' (item {0})")]
    Name(usize),
    #[error("the cookie {0:?} is listed twice")]
    Duplicate(String),
    #[error("the cookie {0:?} is not in the cookie registry")]
    NotRegistered(String),
    #[error("the value for the cookie {0:?} has characters a cookie cannot carry")]
    Value(String),
}

fn is_token(s: &str, max: usize, extra: &[char]) -> bool {
    (1..=max).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || extra.contains(&c))
}

/// The prefixes a browser enforces; a registered name matches with or without one.
const PREFIXES: [&str; 2] = ["__Host-", "__Secure-"];

impl CookieRegistry {
    /// Checks what the browser and the consent cookie rely on: safe names, no duplicates, a
    /// version that fits in a cookie.
    pub fn validate(&self) -> Result<(), RegistryError> {
        if !is_token(&self.version, 40, &['.']) {
            return Err(RegistryError::Version);
        }
        for (i, item) in self.items.iter().enumerate() {
            if !is_token(&item.name, 64, &[]) {
                return Err(RegistryError::Name(i));
            }
            if self.items[..i].iter().any(|other| other.name == item.name) {
                return Err(RegistryError::Duplicate(item.name.clone()));
            }
        }
        Ok(())
    }

    /// The entry for a cookie name as the browser sends it (prefix or not).
    pub fn find(&self, name: &str) -> Option<&CookieSpec> {
        let bare = PREFIXES
            .iter()
            .find_map(|p| name.strip_prefix(p))
            .unwrap_or(name);
        self.items
            .iter()
            .find(|item| item.name == bare && item.storage == Storage::Cookie)
    }

    /// The items of one category, in the order configured.
    pub fn in_category(&self, category: Category) -> impl Iterator<Item = &CookieSpec> {
        self.items.iter().filter(move |i| i.category == category)
    }

    /// The name a cookie has in the browser: `__Host-` prefixed over https, so the browser
    /// insists on Secure, Path=/ and no Domain.
    fn cookie_name(&self, name: &str, secure: bool) -> String {
        if secure {
            format!("__Host-{name}")
        } else {
            name.to_owned()
        }
    }

    /// A `Set-Cookie` value for a registered cookie, with its registered lifetime; the only way
    /// the portal writes one of its own cookies.
    pub fn set_cookie(
        &self,
        name: &str,
        value: &str,
        secure: bool,
    ) -> Result<String, RegistryError> {
        let spec = self
            .find(name)
            .ok_or_else(|| RegistryError::NotRegistered(name.to_owned()))?;
        if !is_token(value, 2048, &['.', ':', '~']) {
            return Err(RegistryError::Value(name.to_owned()));
        }
        Ok(format!(
            "{}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
            self.cookie_name(&spec.name, secure),
            spec.lifetime.seconds(),
            if secure { "; Secure" } else { "" }
        ))
    }

    /// A `Set-Cookie` value that makes the browser forget a cookie at once.
    pub fn expire_cookie(&self, name: &str, secure: bool) -> String {
        format!(
            "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
            self.cookie_name(name, secure),
            if secure { "; Secure" } else { "" }
        )
    }
}

/// What a visitor allows besides the technical cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Choice {
    pub functional: bool,
    pub analytical: bool,
    pub commercial: bool,
}

impl Choice {
    pub const ALL: Choice = Choice {
        functional: true,
        analytical: true,
        commercial: true,
    };
    pub const NONE: Choice = Choice {
        functional: false,
        analytical: false,
        commercial: false,
    };

    pub const fn allows(self, category: Category) -> bool {
        match category {
            Category::Technical => true,
            Category::Functional => self.functional,
            Category::Analytical => self.analytical,
            Category::Commercial => self.commercial,
        }
    }

    /// What Global Privacy Control leaves of this choice: analytical and commercial off.
    pub const fn under_gpc(self) -> Choice {
        Choice {
            functional: self.functional,
            analytical: false,
            commercial: false,
        }
    }
}

/// Where a choice was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    Banner,
    Settings,
    /// The browser's Global Privacy Control signal (`Sec-GPC: 1`).
    Gpc,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Banner => "banner",
            Method::Settings => "settings",
            Method::Gpc => "gpc",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        [Method::Banner, Method::Settings, Method::Gpc]
            .into_iter()
            .find(|m| m.as_str() == input)
    }

    pub const fn describe(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, Method::Banner) => "in de cookiemelding",
            (Lang::Nl, Method::Settings) => "bij cookie-instellingen",
            (Lang::Nl, Method::Gpc) => "door het Global Privacy Control-signaal van je browser",
            (Lang::En, Method::Banner) => "in the cookie banner",
            (Lang::En, Method::Settings) => "in cookie settings",
            (Lang::En, Method::Gpc) => "by your browser's Global Privacy Control signal",
        }
    }
}

/// What the technical consent cookie carries: the anonymous consent id (the key to the stored
/// proof), the choice, whether it was made while the browser sent GPC, and the statement
/// version it was made on. Written as `id.FACG.version` with `1`/`0` flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentCookie {
    pub id: String,
    pub choice: Choice,
    pub under_gpc: bool,
    pub version: String,
}

impl ConsentCookie {
    /// The technical cookie's name in the registry.
    pub const NAME: &'static str = "portal_consent";

    /// Whether a consent id is one this cookie can carry.
    pub fn is_valid_id(id: &str) -> bool {
        is_token(id, 64, &[])
    }

    pub fn parse(value: &str) -> Option<Self> {
        let mut parts = value.splitn(3, '.');
        let (id, flags, version) = (parts.next()?, parts.next()?, parts.next()?);
        if !Self::is_valid_id(id) || !is_token(version, 40, &['.']) {
            return None;
        }
        let flag = |i: usize| match flags.as_bytes().get(i) {
            Some(b'1') => Some(true),
            Some(b'0') => Some(false),
            _ => None,
        };
        if flags.len() != 4 {
            return None;
        }
        Some(Self {
            id: id.to_owned(),
            choice: Choice {
                functional: flag(0)?,
                analytical: flag(1)?,
                commercial: flag(2)?,
            },
            under_gpc: flag(3)?,
            version: version.to_owned(),
        })
    }
}

impl fmt::Display for ConsentCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = |v: bool| if v { '1' } else { '0' };
        write!(
            f,
            "{}.{}{}{}{}.{}",
            self.id,
            b(self.choice.functional),
            b(self.choice.analytical),
            b(self.choice.commercial),
            b(self.under_gpc),
            self.version
        )
    }
}

/// The consent that holds for one request: the visitor's stored choice if it was made on the
/// current statement version, and whether the browser sends Global Privacy Control.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Consent {
    pub cookie: Option<ConsentCookie>,
    pub gpc: bool,
}

impl Consent {
    /// Reads the consent cookie's value (if any) against the current statement version: a
    /// choice made on another version does not count, so the visitor is asked again.
    pub fn new(cookie: Option<&str>, gpc: bool, version: &str) -> Self {
        let cookie = cookie
            .and_then(ConsentCookie::parse)
            .filter(|c| c.version == version);
        Self { cookie, gpc }
    }

    /// What may be stored now. Nothing but technical before a choice; GPC switches analytical
    /// and commercial off unless the visitor opted in while sending it.
    pub fn effective(&self) -> Choice {
        match &self.cookie {
            None => Choice::NONE,
            Some(c) if self.gpc && !c.under_gpc => c.choice.under_gpc(),
            Some(c) => c.choice,
        }
    }

    /// An earlier opt-in to analytical or commercial cookies, made without GPC, now meets the
    /// signal: the visitor is asked which holds (meanwhile the signal does).
    pub fn conflicts_with_gpc(&self) -> bool {
        self.gpc
            && self
                .cookie
                .as_ref()
                .is_some_and(|c| !c.under_gpc && c.choice != c.choice.under_gpc())
    }

    /// No choice on the current version yet.
    pub fn undecided(&self) -> bool {
        self.cookie.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn registry() -> CookieRegistry {
        CookieRegistry {
            version: "2026-11.1".into(),
            items: vec![CookieSpec {
                name: "portal_visit".into(),
                category: Category::Analytical,
                purpose: Localized::new("tellen", "counting"),
                lifetime: Lifetime::parse("1d").expect("valid"),
                party: Party::First,
                storage: Storage::Cookie,
            }],
        }
    }

    #[test]
    fn a_consent_cookie_reads_back_what_was_written() {
        let cookie = ConsentCookie {
            id: "AbC-_9".into(),
            choice: Choice {
                functional: true,
                analytical: false,
                commercial: true,
            },
            under_gpc: true,
            version: "2026-11.1".into(),
        };
        assert_eq!(ConsentCookie::parse(&cookie.to_string()), Some(cookie));
    }

    #[test]
    fn a_tampered_or_foreign_consent_cookie_counts_as_no_choice() {
        for value in [
            "",
            "id",
            "id.1111",
            "id.11x1.v1",
            "id.111.v1",
            "i d.1111.v1",
            "id.1111.v;1",
        ] {
            assert_eq!(ConsentCookie::parse(value), None, "{value:?}");
        }
        assert!(Consent::new(Some("id.1111.old"), false, "new").undecided());
    }

    #[test]
    fn gpc_switches_off_analytical_and_commercial_unless_opted_in_under_it() {
        let before = Consent::new(Some("id.1110.v1"), true, "v1");
        assert_eq!(
            before.effective(),
            Choice {
                functional: true,
                ..Choice::NONE
            }
        );
        assert!(before.conflicts_with_gpc());
        let under = Consent::new(Some("id.1111.v1"), true, "v1");
        assert_eq!(under.effective(), Choice::ALL);
        assert!(!under.conflicts_with_gpc());
        let functional_only = Consent::new(Some("id.1000.v1"), true, "v1");
        assert!(!functional_only.conflicts_with_gpc());
        assert_eq!(Consent::new(None, true, "v1").effective(), Choice::NONE);
    }

    #[test]
    fn the_registry_writes_only_registered_cookies_with_their_lifetime() {
        let registry = registry();
        assert_eq!(
            registry.set_cookie("portal_visit", "2026-11-24", true),
            Ok("__Host-portal_visit=2026-11-24; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax; Secure".into())
        );
        assert_eq!(
            registry.set_cookie("tracker", "1", false),
            Err(RegistryError::NotRegistered("tracker".into()))
        );
        assert!(registry.set_cookie("portal_visit", "a;b", false).is_err());
        assert!(registry.find("__Host-portal_visit").is_some());
    }

    #[test]
    fn a_registry_with_a_duplicate_or_an_unsafe_name_is_refused() {
        let mut twice = registry();
        twice.items.push(twice.items[0].clone());
        assert_eq!(
            twice.validate(),
            Err(RegistryError::Duplicate("portal_visit".into()))
        );
        let mut unsafe_name = registry();
        unsafe_name.items[0].name = "a=b".into();
        assert_eq!(unsafe_name.validate(), Err(RegistryError::Name(0)));
        assert_eq!(registry().validate(), Ok(()));
    }

    #[test]
    fn lifetimes_parse_and_read_in_both_languages() {
        assert_eq!(Lifetime::parse("30min").map(Lifetime::seconds), Ok(1800));
        assert_eq!(
            Lifetime::parse("365d").map(|l| l.describe(Lang::Nl)),
            Ok("365 dagen".into())
        );
        assert_eq!(
            Lifetime::parse("1d").map(|l| l.describe(Lang::En)),
            Ok("1 day".into())
        );
        assert!(Lifetime::parse("0d").is_err());
        assert!(Lifetime::parse("10y").is_err());
    }

    fn any_consent_cookie() -> impl Strategy<Value = ConsentCookie> {
        (
            "[A-Za-z0-9_-]{1,64}",
            any::<[bool; 4]>(),
            "[A-Za-z0-9._-]{1,40}",
        )
            .prop_map(
                |(id, [functional, analytical, commercial, under_gpc], version)| ConsentCookie {
                    id,
                    choice: Choice {
                        functional,
                        analytical,
                        commercial,
                    },
                    under_gpc,
                    version,
                },
            )
    }

    proptest! {
        #[test]
        fn every_consent_cookie_reads_back_as_written(cookie in any_consent_cookie()) {
            prop_assert_eq!(ConsentCookie::parse(&cookie.to_string()), Some(cookie));
        }

        #[test]
        fn an_accepted_consent_cookie_value_is_exactly_what_writing_it_again_gives(
            value in "\\PC{0,30}|[a-z]{1,4}\\.[01x]{3,5}\\.[a-z0-9.;]{0,6}",
        ) {
            if let Some(cookie) = ConsentCookie::parse(&value) {
                prop_assert_eq!(cookie.to_string(), value);
            }
        }

        #[test]
        fn gpc_switches_off_analytical_and_commercial_unless_the_choice_was_made_under_it(
            cookie in any_consent_cookie(), gpc in any::<bool>(),
        ) {
            let consent = Consent::new(Some(&cookie.to_string()), gpc, &cookie.version);
            let effective = consent.effective();
            prop_assert_eq!(effective.functional, cookie.choice.functional);
            if gpc && !cookie.under_gpc {
                prop_assert!(!effective.analytical && !effective.commercial);
            } else {
                prop_assert_eq!(effective, cookie.choice);
            }
            let stale = Consent::new(Some(&cookie.to_string()), gpc, &format!("{}-new", cookie.version));
            prop_assert!(stale.undecided(), "a choice on another version counts as none");
        }

        #[test]
        fn a_lifetime_reads_back_from_its_display_and_never_exceeds_800_days(
            input in "\\PC{0,8}|[0-9]{1,22}(min|h|d|y|)",
        ) {
            if let Ok(lifetime) = Lifetime::parse(&input) {
                prop_assert!(lifetime.seconds() > 0 && lifetime.seconds() <= 800 * 86_400);
                prop_assert_eq!(Lifetime::parse(&lifetime.to_string()), Ok(lifetime));
            }
        }

        #[test]
        fn the_registry_writes_a_cookie_only_with_a_value_of_safe_characters(value in "\\PC{0,20}") {
            match registry().set_cookie("portal_visit", &value, true) {
                Ok(header) => {
                    prop_assert!(!value.is_empty());
                    prop_assert!(value.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:~".contains(c)));
                    let expected = format!("__Host-portal_visit={value}; ");
                    prop_assert!(header.starts_with(&expected));
                }
                Err(error) => prop_assert_eq!(error, RegistryError::Value("portal_visit".into())),
            }
        }
    }
}
