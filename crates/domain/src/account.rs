//! Who uses the portal: account holders ("Mijn Cloud4Companies"), support staff and admins.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// What an account may do. Staff roles must use two-step sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An account holder: their own data, their own requests.
    Customer,
    /// Support staff: works the requests that need a person.
    Support,
    /// Support plus managing staff accounts.
    Admin,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Support => "support",
            Role::Admin => "admin",
        }
    }

    pub const fn is_staff(self) -> bool {
        matches!(self, Role::Support | Role::Admin)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not a role: use customer, support or admin")]
pub struct InvalidRole;

impl FromStr for Role {
    type Err = InvalidRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "customer" => Ok(Role::Customer),
            "support" => Ok(Role::Support),
            "admin" => Ok(Role::Admin),
            _ => Err(InvalidRole),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An account's id: opaque, safe to log, never derived from personal data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountId(String);

impl AccountId {
    /// Wraps an id read back from storage.
    pub fn from_stored(id: String) -> Self {
        Self(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn roles_parse_from_their_names_and_only_support_and_admin_are_staff() {
        for role in [Role::Customer, Role::Support, Role::Admin] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!("Admin".parse::<Role>(), Err(InvalidRole));
        assert!(!Role::Customer.is_staff());
        assert!(Role::Support.is_staff() && Role::Admin.is_staff());
    }

    proptest! {
        #[test]
        fn only_a_roles_own_name_reads_as_that_role(input in "\\PC{0,12}|customer|support|admin|Admin") {
            if let Ok(role) = input.parse::<Role>() {
                prop_assert_eq!(role.to_string(), input);
            }
        }
    }
}
