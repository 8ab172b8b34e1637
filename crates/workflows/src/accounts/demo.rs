//! Demo accounts for local use (`portal seed-demo`): customers, one support and one admin
//! account, with passwords published in the README. The server refuses to seed when the
//! configuration says production.

use super::{Accounts, AccountsError, new_account_id};
use domain::{EmailAddress, Lang, Password, Role};
use store::{Actor, account::NewAccount, profile::ProfileRow};

/// One demo login.
#[derive(Debug, Clone, Copy)]
pub struct DemoLogin {
    pub email: &'static str,
    pub password: &'static str,
    pub role: Role,
    pub language: Lang,
    /// The subscriber at the provider (the stand-in's `--seed-demo` holds the same ones).
    pub provider_subscriber: Option<&'static str>,
    /// Name, phone, company, job title, street, postcode, city, country (customers only).
    pub profile: Option<[&'static str; 8]>,
    /// What the website and billing handed over about the customer.
    pub records: Option<DemoRecords>,
}

/// A customer's records besides the account; times are days before the seeding.
#[derive(Debug, Clone, Copy)]
pub struct DemoRecords {
    /// Subject and message, sent through the contact form.
    pub contact: (&'static str, &'static str, i64),
    /// Service, details, and the supplier (name, address) it was shared with.
    pub quote: (&'static str, &'static str, i64, &'static str, &'static str),
    /// Number, description, amount in cents.
    pub invoices: [(&'static str, &'static str, i64, i64); 2],
}

/// The demo logins, as the README lists them.
pub const DEMO_LOGINS: [DemoLogin; 4] = [
    DemoLogin {
        email: "sanne.devries@bakkerij-devries.example",
        password: "Tulpen-Fiets-Gracht-2026",
        role: Role::Customer,
        language: Lang::Nl,
        provider_subscriber: Some("OO-100001"),
        profile: Some([
            "Sanne de Vries",
            "+31201234567",
            "Bakkerij De Vries",
            "Eigenaar",
            "Bakkerstraat 12",
            "1011 AB",
            "Amsterdam",
            "Nederland",
        ]),
        records: Some(DemoRecords {
            contact: (
                "Glasvezel in de winkel",
                "Kunnen jullie zakelijk glasvezel leveren aan de Bakkerstraat 12?",
                60,
            ),
            quote: (
                "Zakelijk glasvezel 1 Gbit/s met vaste telefonie",
                "Voor de winkel en de bakkerij, twee vaste nummers.",
                45,
                "Glasvezel Partners B.V.",
                "offertes@glasvezelpartners.example",
            ),
            invoices: [
                (
                    "F2026-000123",
                    "Zakelijk Internet & Bellen, oktober 2026",
                    8_950,
                    24,
                ),
                (
                    "F2025-000871",
                    "Zakelijk Internet & Bellen, december 2025",
                    8_950,
                    330,
                ),
            ],
        }),
    },
    DemoLogin {
        email: "mark.jansen@jansen-installatie.example",
        password: "Molen-Kaas-Regen-Dijk-7",
        role: Role::Customer,
        language: Lang::En,
        provider_subscriber: Some("OO-100002"),
        profile: Some([
            "Mark Jansen",
            "+31307654321",
            "Jansen Installatie",
            "Director",
            "Ambachtsweg 4",
            "3542 AB",
            "Utrecht",
            "Netherlands",
        ]),
        records: Some(DemoRecords {
            contact: (
                "Extra SIM cards",
                "Could we get three more SIM cards on our business plan?",
                30,
            ),
            quote: (
                "Cloud backup, 500 GB",
                "Daily backup of two office PCs and the workshop laptop.",
                20,
                "Backup Specialisten B.V.",
                "sales@backupspecialisten.example",
            ),
            invoices: [
                ("F2026-000456", "Business Mobile, October 2026", 4_500, 24),
                ("F2026-000390", "Business Mobile, September 2026", 4_500, 54),
            ],
        }),
    },
    DemoLogin {
        email: "support@cloud4companies.example",
        password: "Helpdesk-Koffie-Lamp-31",
        role: Role::Support,
        language: Lang::Nl,
        provider_subscriber: None,
        profile: None,
        records: None,
    },
    DemoLogin {
        email: "admin@cloud4companies.example",
        password: "Beheer-Sleutel-Haven-58",
        role: Role::Admin,
        language: Lang::Nl,
        provider_subscriber: None,
        profile: None,
        records: None,
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
        if let Some(subscriber) = login.provider_subscriber {
            tx.link_provider_subscriber(id.as_str(), subscriber).await?;
        }
        if let Some(
            [
                name,
                phone,
                company,
                job_title,
                street,
                postcode,
                city,
                country,
            ],
        ) = login.profile
        {
            let some = |v: &str| Some(v.to_owned());
            let profile = ProfileRow {
                account_id: id.as_str().to_owned(),
                name: some(name),
                phone: some(phone),
                company: some(company),
                job_title: some(job_title),
                street: some(street),
                postcode: some(postcode),
                city: some(city),
                country: some(country),
                version: 0,
                updated_at: Some(now),
            };
            tx.save_profile(&profile, 0, now).await?;
        }
        if let Some(records) = login.records {
            seed_records(tx.as_mut(), &id, &records, now).await?;
        }
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

async fn seed_records(
    tx: &mut dyn store::Transaction,
    account: &domain::AccountId,
    records: &DemoRecords,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), store::StoreError> {
    use store::records::{ContactMessageRow, InvoiceRow, QuoteRequestRow};
    let ago = |days: i64| now - chrono::Duration::days(days);
    let account_id = account.as_str().to_owned();
    let (subject, message, days) = records.contact;
    tx.insert_contact_message(&ContactMessageRow {
        id: 0,
        account_id: account_id.clone(),
        subject: subject.to_owned(),
        message: message.to_owned(),
        received_at: ago(days),
    })
    .await?;
    let (service, details, days, supplier, supplier_email) = records.quote;
    tx.insert_quote_request(&QuoteRequestRow {
        id: 0,
        account_id: account_id.clone(),
        service: service.to_owned(),
        details: details.to_owned(),
        requested_at: ago(days),
        supplier_name: Some(supplier.to_owned()),
        supplier_email: Some(supplier_email.to_owned()),
        shared_at: Some(ago(days - 1)),
    })
    .await?;
    for (number, description, cents, days) in records.invoices {
        tx.insert_invoice(&InvoiceRow {
            id: 0,
            account_id: account_id.clone(),
            number: number.to_owned(),
            description: description.to_owned(),
            amount_cents: cents,
            issued_at: ago(days),
        })
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Profile, ProfileInput};

    #[test]
    fn the_demo_profiles_pass_the_same_rules_as_a_holders_correction_unchanged() {
        for login in DEMO_LOGINS {
            let Some(
                [
                    name,
                    phone,
                    company,
                    job_title,
                    street,
                    postcode,
                    city,
                    country,
                ],
            ) = login.profile
            else {
                continue;
            };
            let input = ProfileInput {
                name: name.into(),
                phone: phone.into(),
                company: company.into(),
                job_title: job_title.into(),
                street: street.into(),
                postcode: postcode.into(),
                city: city.into(),
                country: country.into(),
            };
            let parsed = Profile::parse(&input).expect(login.email);
            assert_eq!(parsed.phone.as_deref(), Some(phone), "kept as written");
            assert_eq!(parsed.postcode.as_deref(), Some(postcode));
        }
    }
}
