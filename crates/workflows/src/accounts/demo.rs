//! Demo accounts for local use (`portal seed-demo`): customers, one support and one admin
//! account, with passwords published in the README. The server refuses to seed when the
//! configuration says production.

use super::{Accounts, AccountsError, new_account_id};
use domain::{EmailAddress, Lang, Password, Role};
use store::{Actor, account::NewAccount};

/// One demo login.
#[derive(Debug, Clone, Copy)]
pub struct DemoLogin {
    pub email: &'static str,
    pub password: &'static str,
    pub role: Role,
    pub language: Lang,
}

/// The demo logins, as the README lists them.
pub const DEMO_LOGINS: [DemoLogin; 4] = [
    DemoLogin {
        email: "sanne.devries@bakkerij-devries.example",
        password: "Tulpen-Fiets-Gracht-2026",
        role: Role::Customer,
        language: Lang::Nl,
    },
    DemoLogin {
        email: "mark.jansen@jansen-installatie.example",
        password: "Molen-Kaas-Regen-Dijk-7",
        role: Role::Customer,
        language: Lang::En,
    },
    DemoLogin {
        email: "support@cloud4companies.example",
        password: "Helpdesk-Koffie-Lamp-31",
        role: Role::Support,
        language: Lang::Nl,
    },
    DemoLogin {
        email: "admin@cloud4companies.example",
        password: "Beheer-Sleutel-Haven-58",
        role: Role::Admin,
        language: Lang::Nl,
    },
];

/// Creates the demo accounts that do not exist yet (addresses confirmed); returns how many
/// were created. Staff set up two-step sign-in at their first sign-in, as real staff do.
pub async fn seed(accounts: &Accounts) -> Result<usize, AccountsError> {
    let mut created = 0;
    for login in DEMO_LOGINS {
        let email = EmailAddress::parse(login.email).map_err(|_| AccountsError::NotAllowed)?;
        if accounts
            .store()
            .account_by_email_key(&email.key())
            .await?
            .is_some()
        {
            continue;
        }
        let password = Password::parse(login.password).map_err(AccountsError::Password)?;
        let hash = accounts.hasher().hash(&password).await?;
        let now = accounts.now();
        let id = new_account_id();
        let mut tx = accounts.store().begin().await?;
        tx.create_account(&NewAccount {
            id: id.as_str().to_owned(),
            email: email.as_str().to_owned(),
            email_key: email.key(),
            password_hash: hash.as_str().to_owned(),
            role: login.role.as_str().to_owned(),
            language: login.language.code().to_owned(),
            email_confirmed_at: Some(now),
            created_at: now,
        })
        .await?;
        accounts
            .audit(
                tx.as_mut(),
                Actor::System,
                "demo.account_created",
                Some(&id),
            )
            .await?;
        tx.commit().await?;
        created += 1;
    }
    Ok(created)
}
