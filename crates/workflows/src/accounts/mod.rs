//! Accounts: passwords and sign-in throttling now; registration, sign-in and the rest build on
//! these.

pub mod password;
pub mod throttle;
pub mod totp;

pub use password::{PasswordError, PasswordHash, PasswordHasher, check_strength};
pub use throttle::{SignInThrottle, Throttled};
