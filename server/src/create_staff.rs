//! `portal create-staff --role support|admin --email ADDRESS [--language nl|en]`

use crate::Config;
use domain::{EmailAddress, Lang, Password, Role, SystemClock};
use std::io::{BufRead, IsTerminal};
use workflows::accounts::{NewStaff, PasswordHasher, create_staff};

#[derive(Debug, thiserror::Error)]
pub enum CreateStaffCommandError {
    #[error("--email: {0}")]
    Email(domain::email::InvalidEmail),
    #[error("--language must be nl or en")]
    Language,
    #[error("the password could not be read: {0}")]
    Read(#[from] std::io::Error),
    #[error("the two passwords differ")]
    Mismatch,
    #[error("the password is {0}")]
    Password(domain::PasswordProblem),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Create(#[from] workflows::accounts::CreateStaffError),
    #[error(transparent)]
    Hasher(#[from] workflows::accounts::PasswordError),
}

/// Reads the password: asked twice on a terminal, one line from a pipe.
fn read_password() -> Result<String, CreateStaffCommandError> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password for the new account: ")?;
        let second = rpassword::prompt_password("The same password again: ")?;
        if first != second {
            return Err(CreateStaffCommandError::Mismatch);
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}

#[allow(clippy::print_stdout, reason = "the command's result is its output")]
pub async fn run(
    config: &Config,
    role: Role,
    email: &str,
    language: &str,
) -> Result<(), CreateStaffCommandError> {
    let email = EmailAddress::parse(email).map_err(CreateStaffCommandError::Email)?;
    let language = Lang::from_code(language).ok_or(CreateStaffCommandError::Language)?;
    let password = Password::parse(read_password()?).map_err(CreateStaffCommandError::Password)?;
    let store = store::connect(&config.database_url).await?;
    let hasher = PasswordHasher::new()?;
    let new = NewStaff {
        email: email.clone(),
        role,
        password,
        language,
        created_by: store::Actor::System,
    };
    let created = create_staff(store.as_ref(), &hasher, &SystemClock, new).await;
    store.close().await;
    let id = created?;
    println!(
        "Created {role} account {id} for {}. They set up two-step sign-in at their first sign-in.",
        email.redacted()
    );
    Ok(())
}
