//! Correcting the profile (Art. 16 GDPR): every field parsed by the domain rules, saved only
//! over the version the form was made from, each changed field recorded (which, by whom, when —
//! never the values) with an audit row, and each recipient of the data told (Art. 19), all in
//! one transaction.

use super::MyData;
use domain::{AccountId, Profile, ProfileInput, ProfileProblem};
use store::{
    Actor, NewAuditEvent, StoreError,
    profile::{NewCorrection, ProfileRow},
};

#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    /// Field by field, what is wrong; nothing was saved.
    #[error("the profile has problems")]
    Invalid(Vec<(&'static str, ProfileProblem)>),
    /// The profile changed since the form was made; nothing was saved.
    #[error("the profile changed in the meantime")]
    Stale,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn profile_of(row: &ProfileRow) -> Profile {
    Profile {
        name: row.name.clone(),
        phone: row.phone.clone(),
        company: row.company.clone(),
        job_title: row.job_title.clone(),
        street: row.street.clone(),
        postcode: row.postcode.clone(),
        city: row.city.clone(),
        country: row.country.clone(),
    }
}

impl MyData {
    /// The profile and the version a form must send back to save over it (0: never saved).
    pub async fn profile(&self, account: &AccountId) -> Result<(Profile, i64), StoreError> {
        Ok(match self.store.profile(account.as_str()).await? {
            Some(row) => (profile_of(&row), row.version),
            None => (Profile::default(), 0),
        })
    }

    /// Saves the holder's corrections; returns the fields that changed (none: nothing saved).
    #[tracing::instrument(name = "my_data.correct_profile", skip_all, fields(account = %account))]
    pub async fn correct_profile(
        &self,
        account: &AccountId,
        input: &ProfileInput,
        version: i64,
    ) -> Result<Vec<&'static str>, CorrectionError> {
        let new = Profile::parse(input).map_err(CorrectionError::Invalid)?;
        let (old, stored_version) = self.profile(account).await?;
        if stored_version != version {
            return Err(CorrectionError::Stale);
        }
        let changed = new.changed_from(&old);
        if changed.is_empty() {
            return Ok(changed);
        }
        let now = self.clock.now();
        let values: Vec<(&'static str, Option<String>)> = changed
            .iter()
            .map(|f| (*f, new.get(f).map(str::to_owned)))
            .collect();
        let suppliers = self.suppliers(account).await?;
        let row = ProfileRow {
            account_id: account.as_str().to_owned(),
            name: new.name,
            phone: new.phone,
            company: new.company,
            job_title: new.job_title,
            street: new.street,
            postcode: new.postcode,
            city: new.city,
            country: new.country,
            version,
            updated_at: Some(now),
        };
        let mut tx = self.store.begin().await?;
        // The version is checked again in the write itself: two saves racing, one wins.
        if !tx.save_profile(&row, version, now).await? {
            return Err(CorrectionError::Stale);
        }
        let mut corrections = Vec::with_capacity(values.len());
        for (field, value) in values {
            let id = tx
                .record_correction(&NewCorrection {
                    account_id: account.as_str().to_owned(),
                    category: "account".into(),
                    field: field.to_owned(),
                    actor: Actor::Customer.as_str().to_owned(),
                    corrected_at: now,
                })
                .await?;
            corrections.push((id, field, value));
        }
        // Art. 19: the suppliers that received these details with a quote request are told.
        self.tell_suppliers(tx.as_mut(), account, &suppliers, &corrections, now)
            .await?;
        tx.record_audit(&NewAuditEvent {
            occurred_at: now,
            actor: Actor::Customer,
            action: "profile.corrected".into(),
            subject: Some(account.as_str().to_owned()),
        })
        .await?;
        tx.commit().await?;
        tracing::info!(fields = changed.len(), "profile corrected");
        Ok(changed)
    }
}
