//! Art. 19 GDPR: every recipient of corrected data is told of the correction, and the holder
//! sees who was told and when. A supplier that received a quote request (with the holder's
//! contact details) is told by e-mail; the provider is told by the job that carries the
//! correction; a correction staff still have to make is passed on when they make it. Each
//! notice is written in the correction's transaction, so none is lost and none is sent for a
//! correction that did not happen.

use super::MyData;
use crate::accounts::notices::escape;
use chrono::{DateTime, Utc};
use domain::{AccountId, EmailAddress};
use std::collections::BTreeMap;
use store::{
    StoreError, Transaction,
    outbox::NewMail,
    records::{Channel, NewNotice, NoticeCause, Page},
};

/// A supplier that received the holder's contact details with a quote request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Supplier {
    pub name: String,
    pub email: EmailAddress,
    /// The quote requests it received, by our reference.
    pub references: Vec<String>,
}

/// The categories whose data went to the suppliers with a quote request.
pub(super) fn reaches_suppliers(category: &str) -> bool {
    matches!(category, "account" | "quote-requests")
}

/// A quote request's reference, as the supplier knows it.
pub(super) fn quote_reference(id: i64) -> String {
    format!("OFF-{id:06}")
}

impl MyData {
    /// The suppliers the holder's quote requests were shared with, one per address.
    pub(crate) async fn suppliers(&self, account: &AccountId) -> Result<Vec<Supplier>, StoreError> {
        let mut by_address: BTreeMap<String, Supplier> = BTreeMap::new();
        for quote in self
            .store
            .quote_requests(account.as_str(), Page::ALL)
            .await?
        {
            let (Some(name), Some(email)) = (quote.supplier_name, quote.supplier_email) else {
                continue;
            };
            let Ok(email) = EmailAddress::parse(&email) else {
                continue;
            };
            by_address
                .entry(email.key())
                .or_insert_with(|| Supplier {
                    name,
                    email,
                    references: Vec::new(),
                })
                .references
                .push(quote_reference(quote.id));
        }
        Ok(by_address.into_values().collect())
    }

    /// Queues one e-mail per supplier with the corrected values, and records a notice per
    /// correction and supplier, all in `tx`.
    pub(super) async fn tell_suppliers(
        &self,
        tx: &mut dyn Transaction,
        account: &AccountId,
        suppliers: &[Supplier],
        corrections: &[(i64, &'static str, Option<String>)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for supplier in suppliers {
            let mail = self.correction_mail(supplier, corrections, now);
            let mail_id = tx.enqueue_mail(&mail).await?;
            for (correction, _, _) in corrections {
                tx.record_notice(&NewNotice {
                    account_id: account.as_str().to_owned(),
                    cause: NoticeCause::Correction(*correction),
                    recipient: supplier.name.clone(),
                    channel: Channel::Mail(mail_id),
                    created_at: now,
                })
                .await?;
            }
        }
        Ok(())
    }

    /// The message to a supplier, in Dutch and English: which request it concerns and the
    /// corrected values (a cleared field says so); never the old values.
    fn correction_mail(
        &self,
        supplier: &Supplier,
        corrections: &[(i64, &'static str, Option<String>)],
        now: DateTime<Utc>,
    ) -> NewMail {
        let org = &self.facts.organisation.name;
        let references = supplier.references.join(", ");
        let intro_nl = format!(
            "Beste {}, u ontving van {org} een offerteaanvraag ({references}). De klant heeft de volgende gegevens gecorrigeerd. Wilt u ze ook in uw administratie corrigeren (artikel 19 AVG)?",
            supplier.name
        );
        let intro_en = format!(
            "Dear {}, you received a quote request ({references}) from {org}. The customer corrected the following data. Please correct it in your records too (Article 19 GDPR).",
            supplier.name
        );
        let lines: Vec<String> = corrections
            .iter()
            .map(|(_, field, value)| {
                let (nl, en) = field_label(field);
                let value = value.as_deref().unwrap_or("(verwijderd / removed)");
                format!("{nl} / {en}: {value}")
            })
            .collect();
        let signature = format!("Met vriendelijke groet / Kind regards,\n{org}");
        let text = format!(
            "{intro_nl}\n\n{intro_en}\n\n{}\n\n{signature}\n",
            lines.join("\n")
        );
        let html = format!(
            "<p>{}</p>\n<p>{}</p>\n<ul>\n{}</ul>\n<p>{}</p>\n",
            escape(&intro_nl),
            escape(&intro_en),
            lines
                .iter()
                .map(|l| format!("<li>{}</li>\n", escape(l)))
                .collect::<String>(),
            escape(&signature).replace('\n', "<br>")
        );
        NewMail {
            recipient: supplier.email.as_str().to_owned(),
            subject: format!(
                "Correctie van persoonsgegevens / Correction of personal data ({references})"
            ),
            body_text: text,
            body_html: html,
            created_at: now,
        }
    }
}

impl MyData {
    /// The message to a supplier when the holder's account is erased (Arts. 17(2) and 19
    /// GDPR), in Dutch and English: which requests it concerns, never whose.
    pub(crate) fn erasure_mail(&self, supplier: &Supplier, now: DateTime<Utc>) -> NewMail {
        let org = &self.facts.organisation.name;
        let references = supplier.references.join(", ");
        let intro_nl = format!(
            "Beste {}, u ontving van {org} een of meer offerteaanvragen ({references}). De klant heeft zijn account laten verwijderen en vraagt ook u de persoonsgegevens die u daarmee ontving te wissen (artikelen 17 en 19 AVG), tenzij een wettelijke plicht u dwingt ze te bewaren.",
            supplier.name
        );
        let intro_en = format!(
            "Dear {}, you received one or more quote requests ({references}) from {org}. The customer had their account erased and asks you too to erase the personal data you received with them (Articles 17 and 19 GDPR), unless the law obliges you to keep it.",
            supplier.name
        );
        let signature = format!("Met vriendelijke groet / Kind regards,\n{org}");
        NewMail {
            recipient: supplier.email.as_str().to_owned(),
            subject: format!(
                "Verzoek tot wissing van persoonsgegevens / Request to erase personal data ({references})"
            ),
            body_text: format!("{intro_nl}\n\n{intro_en}\n\n{signature}\n"),
            body_html: format!(
                "<p>{}</p>\n<p>{}</p>\n<p>{}</p>\n",
                escape(&intro_nl),
                escape(&intro_en),
                escape(&signature).replace('\n', "<br>")
            ),
            created_at: now,
        }
    }
}

/// A profile field's name in Dutch and English.
pub(super) fn field_label(field: &str) -> (&'static str, &'static str) {
    match field {
        "name" => ("Naam", "Name"),
        "phone" => ("Telefoonnummer", "Phone number"),
        "company" => ("Bedrijf", "Company"),
        "job_title" => ("Functie", "Job title"),
        "street" => ("Straat en huisnummer", "Street and number"),
        "postcode" => ("Postcode", "Postcode"),
        "city" => ("Plaats", "Place"),
        "country" => ("Land", "Country"),
        "email" => ("E-mailadres", "E-mail address"),
        _ => ("Gegeven", "Field"),
    }
}
