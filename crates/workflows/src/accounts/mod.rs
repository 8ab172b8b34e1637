//! Accounts: passwords and sign-in throttling now; registration, sign-in and the rest build on
//! these.

pub mod password;
pub mod staff;
pub mod throttle;
pub mod totp;

pub use password::{PasswordError, PasswordHash, PasswordHasher, check_strength};
pub use staff::{CreateStaffError, NewStaff, create_staff};
pub use throttle::{SignInThrottle, Throttled};
