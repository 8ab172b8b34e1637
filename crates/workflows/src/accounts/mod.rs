//! Accounts: passwords now; registration, sign-in and the rest build on these.

pub mod password;

pub use password::{PasswordError, PasswordHash, PasswordHasher, check_strength};
