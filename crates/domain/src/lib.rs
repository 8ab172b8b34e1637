//! The portal's domain: parsed values and the rules that hold whatever the storage or the UI.
//!
//! Nothing here does IO, so the browser (wasm) validates with the same `parse` as the server.

pub mod account;
pub mod catalogue;
pub mod client;
pub mod clock;
pub mod cookies;
pub mod deadline;
pub mod email;
pub mod lang;
pub mod password;
pub mod profile;
pub mod request;
pub mod retention;
pub mod time;

pub use account::{AccountId, Role};
pub use catalogue::{DataCategory, Described};
pub use client::{Authority, ClientFacts, Organisation, ProviderFacts, SubProcessor};
pub use clock::{Clock, ManualClock, SystemClock};
pub use cookies::{Category, Choice, Consent, ConsentCookie, CookieRegistry, Method};
pub use deadline::{Deadline, DeadlineError};
pub use email::EmailAddress;
pub use lang::{Lang, Localized};
pub use password::{Password, PasswordProblem};
pub use profile::{Profile, ProfileInput, ProfileProblem};
pub use request::{RequestKind, RequestStatus, StatementProblem};
pub use retention::{Holder, LegalBasis, OnErasure, RetentionPeriod, RetentionRule, Trigger};
pub use time::LocalTime;
