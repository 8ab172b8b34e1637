//! Creating staff accounts (support, admin). No account exists by default: an operator creates
//! the first with `portal create-staff`, later ones an admin creates in the admin pages. Staff
//! must set up two-step sign-in (TOTP) at their first sign-in.

use super::password::{PasswordError, PasswordHasher, check_strength};
use domain::{AccountId, Clock, EmailAddress, Lang, Password, PasswordProblem, Role};
use store::{Actor, NewAuditEvent, Store, StoreError, account::NewAccount};

pub struct NewStaff {
    pub email: EmailAddress,
    pub role: Role,
    pub password: Password,
    pub language: Lang,
    /// Who creates it: the operator's CLI ([`Actor::System`]) or an admin ([`Actor::Staff`]).
    pub created_by: Actor,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateStaffError {
    #[error("{0} is not a staff role: use support or admin")]
    NotStaff(Role),
    #[error("an account with this e-mail address exists already")]
    AddressTaken,
    #[error("the password is {0}")]
    Password(PasswordProblem),
    #[error(transparent)]
    Hashing(#[from] PasswordError),
    #[error(transparent)]
    Store(StoreError),
}

#[tracing::instrument(name = "accounts.create_staff", skip_all, fields(role = %new.role))]
pub async fn create_staff(
    store: &dyn Store,
    hasher: &PasswordHasher,
    clock: &dyn Clock,
    new: NewStaff,
) -> Result<AccountId, CreateStaffError> {
    if !new.role.is_staff() {
        return Err(CreateStaffError::NotStaff(new.role));
    }
    let local_part = new.email.as_str().split('@').next().unwrap_or_default();
    check_strength(&new.password, &[new.email.as_str(), local_part])
        .map_err(CreateStaffError::Password)?;
    let password_hash = hasher.hash(&new.password).await?;
    let id = AccountId::from_stored(format!("acc_{}", uuid::Uuid::new_v4().simple()));
    let now = clock.now();
    let mut tx = store.begin().await.map_err(CreateStaffError::Store)?;
    tx.create_account(&NewAccount {
        id: id.as_str().to_owned(),
        email: new.email.as_str().to_owned(),
        email_key: new.email.key(),
        password_hash: password_hash.as_str().to_owned(),
        role: new.role.as_str().to_owned(),
        language: new.language.code().to_owned(),
        // The operator vouches for a staff address.
        email_confirmed_at: Some(now),
        created_at: now,
    })
    .await
    .map_err(|error| match error {
        StoreError::Duplicate { .. } => CreateStaffError::AddressTaken,
        other => CreateStaffError::Store(other),
    })?;
    tx.record_audit(&NewAuditEvent {
        occurred_at: now,
        actor: new.created_by,
        action: format!("staff.created.{}", new.role),
        subject: Some(id.as_str().to_owned()),
    })
    .await
    .map_err(CreateStaffError::Store)?;
    tx.commit().await.map_err(CreateStaffError::Store)?;
    tracing::info!(account = %id, email = %new.email.redacted(), "staff account created");
    Ok(id)
}
