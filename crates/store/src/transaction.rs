//! Writes that belong together, in one database transaction.
//!
//! Both backends run the same statements ([`crate::sql`]), so one macro writes both
//! implementations; only the transaction type differs.

use crate::{
    StoreError,
    account::NewAccount,
    audit::NewAuditEvent,
    job::NewJob,
    outbox::NewMail,
    profile::{NewCorrection, ProfileRow},
    records::{ContactMessageRow, InvoiceRow, NewNotice, NewRightsRequest, QuoteRequestRow},
    token::{NewEmailToken, TokenPurpose, ValidToken},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// One unit of work. Dropped without [`Transaction::commit`], it rolls back.
#[async_trait]
pub trait Transaction: Send {
    /// Adds an account; [`StoreError::Duplicate`] when its address is taken (in any case).
    async fn create_account(&mut self, account: &NewAccount) -> Result<(), StoreError>;

    async fn record_audit(&mut self, event: &NewAuditEvent) -> Result<(), StoreError>;

    async fn insert_email_token(&mut self, token: &NewEmailToken) -> Result<(), StoreError>;

    /// Uses a link's token if it is unused and unexpired; `None` otherwise. Of two concurrent
    /// uses, one gets the token.
    async fn use_email_token(
        &mut self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<ValidToken>, StoreError>;

    /// Makes every outstanding link of `purpose` for the account unusable.
    async fn revoke_email_tokens(
        &mut self,
        account_id: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Queues a message; its outbox id.
    async fn enqueue_mail(&mut self, mail: &NewMail) -> Result<i64, StoreError>;

    /// Queues a job; its id. [`StoreError::Duplicate`] when the idempotency key is taken.
    async fn enqueue_job(&mut self, job: &NewJob) -> Result<i64, StoreError>;

    async fn set_password_hash(
        &mut self,
        account_id: &str,
        password_hash: &str,
    ) -> Result<(), StoreError>;

    /// Marks the address confirmed; `false` if it was confirmed already.
    async fn confirm_email(
        &mut self,
        account_id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Replaces the address (confirmed at `at`); [`StoreError::Duplicate`] when it is taken.
    async fn change_email(
        &mut self,
        account_id: &str,
        email: &str,
        email_key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Sets (or with `None`, removes) the TOTP secret and the last step used.
    async fn set_totp(
        &mut self,
        account_id: &str,
        secret: Option<&str>,
        last_step: Option<i64>,
    ) -> Result<(), StoreError>;

    /// Records which subscriber at the provider the account holder is;
    /// [`StoreError::Duplicate`] when another account is that subscriber.
    async fn link_provider_subscriber(
        &mut self,
        account_id: &str,
        subscriber: &str,
    ) -> Result<(), StoreError>;

    /// Saves a profile over version `expected` (0: never saved); `false` when the stored
    /// version is another (the form is stale) and nothing was written.
    async fn save_profile(
        &mut self,
        profile: &ProfileRow,
        expected: i64,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Records a correction; its id.
    async fn record_correction(&mut self, correction: &NewCorrection) -> Result<i64, StoreError>;

    /// Records a recipient told (or to be told) of a correction; its id.
    async fn record_notice(&mut self, notice: &NewNotice) -> Result<i64, StoreError>;

    /// Files a rights request; its id.
    async fn create_rights_request(
        &mut self,
        request: &NewRightsRequest,
    ) -> Result<i64, StoreError>;

    /// Records (or with `None`, withdraws) the holder's objection to direct marketing.
    async fn set_marketing_objection(
        &mut self,
        account_id: &str,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError>;

    /// Adds a contact-form message (as the website's form hands it over); its id.
    async fn insert_contact_message(&mut self, row: &ContactMessageRow) -> Result<i64, StoreError>;

    /// Adds a quote request, with the supplier it was shared with; its id.
    async fn insert_quote_request(&mut self, row: &QuoteRequestRow) -> Result<i64, StoreError>;

    /// Adds an invoice (as the billing system hands it over); its id.
    async fn insert_invoice(&mut self, row: &InvoiceRow) -> Result<i64, StoreError>;

    /// Ends every session of an account except `keep` (an id hash); returns how many ended.
    async fn end_account_sessions(
        &mut self,
        account_id: &str,
        keep: Option<&str>,
    ) -> Result<u64, StoreError>;

    /// Adds a step to a request's history or thread; its id.
    async fn add_request_event(
        &mut self,
        event: &crate::records::NewRequestEvent,
    ) -> Result<i64, StoreError>;

    /// Gives an open request to a staff member (or to nobody); false when it is not open.
    async fn assign_request(&mut self, id: i64, staff: Option<&str>) -> Result<bool, StoreError>;

    /// Stores an open request's deadline; false when it is not open.
    async fn set_request_deadline(
        &mut self,
        id: i64,
        change: &crate::records::DeadlineChange,
    ) -> Result<bool, StoreError>;

    /// Ends an open request with `status` (`closed`, `cancelled`) and `outcome` (`completed`,
    /// `refused`, none); false when it was not open.
    async fn finish_request(
        &mut self,
        id: i64,
        status: &str,
        outcome: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Closes an open rights request (one that settled itself); false when it was not open.
    async fn close_rights_request(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Records the start of the retention purge for `slot`; its id. [`StoreError::Duplicate`]
    /// when that slot's purge ran already (or runs in another transaction that commits first).
    async fn start_retention_run(
        &mut self,
        slot: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError>;

    /// Deletes the rows of one kind whose period started before `before`; how many.
    async fn purge(
        &mut self,
        what: crate::retention::Purge,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    /// Records what a retention run deleted (`counts`: a JSON object) and when it finished.
    async fn finish_retention_run(
        &mut self,
        id: i64,
        counts: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Starts an export; [`StoreError::Duplicate`] when one is being built for the account.
    async fn create_export(&mut self, export: &crate::export::NewExport) -> Result<(), StoreError>;

    /// Records an export's file as written; false when it was published complete already (by
    /// another attempt) or has expired meanwhile.
    async fn export_built(
        &mut self,
        built: &crate::export::ExportBuilt,
    ) -> Result<bool, StoreError>;

    /// Schedules an account's erasure: the erasure and its steps recorded, the account
    /// deactivated and every session of it ended. [`StoreError::Duplicate`] when one is
    /// scheduled or running for the account already.
    async fn schedule_erasure(
        &mut self,
        erasure: &crate::erasure::NewErasure,
    ) -> Result<(), StoreError>;

    /// Calls off the account's scheduled erasure and reactivates the account; the erasure's id,
    /// or `None` when none was scheduled, or its cool-off is over at `at` (none asked for, it
    /// was asked for at once, or it started already).
    async fn cancel_erasure(
        &mut self,
        account_id: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError>;

    /// Starts a scheduled erasure; false when it was not scheduled (cancelled, or started).
    async fn start_erasure(&mut self, id: &str, at: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Erases the account's data in the portal (see [`crate::erasure::AccountErasure`]) and
    /// marks the portal's step done.
    async fn erase_account(
        &mut self,
        erasure: &crate::erasure::AccountErasure,
    ) -> Result<(), StoreError>;

    /// Sets one step's state (`since` moves only when the state changes).
    async fn set_erasure_step(
        &mut self,
        id: &str,
        system: &str,
        state: &str,
        detail: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Records a mail the erasure queued (to a recipient, or the holder's confirmation).
    async fn record_erasure_notice(
        &mut self,
        id: &str,
        kind: &str,
        recipient: &str,
        mail_id: i64,
    ) -> Result<(), StoreError>;

    /// Marks a running erasure complete and forgets its address and subscriber; false when it
    /// was not running.
    async fn complete_erasure(&mut self, id: &str, at: DateTime<Utc>) -> Result<bool, StoreError>;

    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

macro_rules! impl_transaction {
    ($tx:ident, $db:ty) => {
        pub(crate) struct $tx(pub(crate) sqlx::Transaction<'static, $db>);

        #[async_trait::async_trait]
        impl $crate::transaction::Transaction for $tx {
            async fn create_account(
                &mut self,
                account: &$crate::account::NewAccount,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::CREATE_ACCOUNT)
                    .bind(&account.id)
                    .bind(&account.email)
                    .bind(&account.email_key)
                    .bind(&account.password_hash)
                    .bind(&account.role)
                    .bind(&account.language)
                    .bind(account.email_confirmed_at)
                    .bind(account.created_at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn record_audit(
                &mut self,
                event: &$crate::NewAuditEvent,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::INSERT_AUDIT)
                    .bind(event.occurred_at)
                    .bind(event.actor.as_str())
                    .bind(&event.action)
                    .bind(&event.subject)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn insert_email_token(
                &mut self,
                token: &$crate::token::NewEmailToken,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::INSERT_EMAIL_TOKEN)
                    .bind(&token.token_hash)
                    .bind(&token.account_id)
                    .bind(token.purpose.as_str())
                    .bind(&token.new_email)
                    .bind(token.created_at)
                    .bind(token.expires_at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn use_email_token(
                &mut self,
                token_hash: &str,
                purpose: $crate::token::TokenPurpose,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<Option<$crate::token::ValidToken>, $crate::StoreError> {
                Ok(
                    sqlx::query_as::<_, $crate::token::ValidToken>($crate::sql::USE_EMAIL_TOKEN)
                        .bind(token_hash)
                        .bind(purpose.as_str())
                        .bind(now)
                        .fetch_optional(&mut *self.0)
                        .await?,
                )
            }

            async fn revoke_email_tokens(
                &mut self,
                account_id: &str,
                purpose: $crate::token::TokenPurpose,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::REVOKE_EMAIL_TOKENS)
                    .bind(account_id)
                    .bind(purpose.as_str())
                    .bind(now)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn enqueue_mail(
                &mut self,
                mail: &$crate::outbox::NewMail,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar($crate::sql::ENQUEUE_MAIL)
                    .bind(&mail.recipient)
                    .bind(&mail.subject)
                    .bind(&mail.body_text)
                    .bind(&mail.body_html)
                    .bind(mail.created_at)
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn enqueue_job(
                &mut self,
                job: &$crate::job::NewJob,
            ) -> Result<i64, $crate::StoreError> {
                Ok(
                    bind_new_job!(sqlx::query_scalar($crate::sql::ENQUEUE_JOB), job)
                        .fetch_one(&mut *self.0)
                        .await?,
                )
            }

            async fn set_password_hash(
                &mut self,
                account_id: &str,
                password_hash: &str,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::SET_PASSWORD_HASH)
                    .bind(account_id)
                    .bind(password_hash)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn confirm_email(
                &mut self,
                account_id: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query($crate::sql::CONFIRM_EMAIL)
                    .bind(account_id)
                    .bind(at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn change_email(
                &mut self,
                account_id: &str,
                email: &str,
                email_key: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::CHANGE_EMAIL)
                    .bind(account_id)
                    .bind(email)
                    .bind(email_key)
                    .bind(at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn set_totp(
                &mut self,
                account_id: &str,
                secret: Option<&str>,
                last_step: Option<i64>,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::SET_TOTP)
                    .bind(account_id)
                    .bind(secret)
                    .bind(last_step)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn link_provider_subscriber(
                &mut self,
                account_id: &str,
                subscriber: &str,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::LINK_PROVIDER_SUBSCRIBER)
                    .bind(account_id)
                    .bind(subscriber)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn save_profile(
                &mut self,
                profile: &$crate::profile::ProfileRow,
                expected: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, $crate::StoreError> {
                let sql = if expected == 0 {
                    $crate::sql::INSERT_PROFILE
                } else {
                    $crate::sql::UPDATE_PROFILE
                };
                let mut query = sqlx::query(sql)
                    .bind(&profile.account_id)
                    .bind(&profile.name)
                    .bind(&profile.phone)
                    .bind(&profile.company)
                    .bind(&profile.job_title)
                    .bind(&profile.street)
                    .bind(&profile.postcode)
                    .bind(&profile.city)
                    .bind(&profile.country)
                    .bind(at);
                if expected != 0 {
                    query = query.bind(expected);
                }
                Ok(query.execute(&mut *self.0).await?.rows_affected() == 1)
            }

            async fn record_correction(
                &mut self,
                correction: &$crate::profile::NewCorrection,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar($crate::sql::RECORD_CORRECTION)
                    .bind(&correction.account_id)
                    .bind(&correction.category)
                    .bind(&correction.field)
                    .bind(&correction.actor)
                    .bind(correction.corrected_at)
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn record_notice(
                &mut self,
                notice: &$crate::records::NewNotice,
            ) -> Result<i64, $crate::StoreError> {
                use $crate::records::{Channel, NoticeCause};
                let (correction, request) = match notice.cause {
                    NoticeCause::Correction(id) => (Some(id), None),
                    NoticeCause::Request(id) => (None, Some(id)),
                };
                let (channel, mail, job) = match notice.channel {
                    Channel::Mail(id) => ("mail", Some(id), None),
                    Channel::Provider(id) => ("provider", None, Some(id)),
                    Channel::Staff => ("staff", None, None),
                };
                Ok(sqlx::query_scalar($crate::sql::RECORD_NOTICE)
                    .bind(&notice.account_id)
                    .bind(correction)
                    .bind(request)
                    .bind(&notice.recipient)
                    .bind(channel)
                    .bind(mail)
                    .bind(job)
                    .bind(notice.created_at)
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn create_rights_request(
                &mut self,
                request: &$crate::records::NewRightsRequest,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar($crate::sql::CREATE_RIGHTS_REQUEST)
                    .bind(&request.account_id)
                    .bind(&request.kind)
                    .bind(&request.status)
                    .bind(&request.category)
                    .bind(&request.details)
                    .bind(request.received_at)
                    .bind(request.closed_at)
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn set_marketing_objection(
                &mut self,
                account_id: &str,
                at: Option<chrono::DateTime<chrono::Utc>>,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::SET_MARKETING_OBJECTION)
                    .bind(account_id)
                    .bind(at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn insert_contact_message(
                &mut self,
                row: &$crate::records::ContactMessageRow,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar($crate::sql::INSERT_CONTACT_MESSAGE)
                    .bind(&row.account_id)
                    .bind(&row.subject)
                    .bind(&row.message)
                    .bind(row.received_at)
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn insert_quote_request(
                &mut self,
                row: &$crate::records::QuoteRequestRow,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar($crate::sql::INSERT_QUOTE_REQUEST)
                    .bind(&row.account_id)
                    .bind(&row.service)
                    .bind(&row.details)
                    .bind(row.requested_at)
                    .bind(&row.supplier_name)
                    .bind(&row.supplier_email)
                    .bind(row.shared_at)
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn insert_invoice(
                &mut self,
                row: &$crate::records::InvoiceRow,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar($crate::sql::INSERT_INVOICE)
                    .bind(&row.account_id)
                    .bind(&row.number)
                    .bind(&row.description)
                    .bind(row.amount_cents)
                    .bind(row.issued_at)
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn end_account_sessions(
                &mut self,
                account_id: &str,
                keep: Option<&str>,
            ) -> Result<u64, $crate::StoreError> {
                let done = sqlx::query($crate::sql::END_ACCOUNT_SESSIONS)
                    .bind(account_id)
                    .bind(keep)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn add_request_event(
                &mut self,
                e: &$crate::records::NewRequestEvent,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar($crate::sql::ADD_REQUEST_EVENT)
                    .bind(e.request_id)
                    .bind(&e.author)
                    .bind(&e.staff_id)
                    .bind(&e.kind)
                    .bind(&e.body)
                    .bind(e.created_at)
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn assign_request(
                &mut self,
                id: i64,
                staff: Option<&str>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query($crate::sql::ASSIGN_REQUEST)
                    .bind(id)
                    .bind(staff)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_request_deadline(
                &mut self,
                id: i64,
                change: &$crate::records::DeadlineChange,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query($crate::sql::SET_REQUEST_DEADLINE)
                    .bind(id)
                    .bind(change.extended_months)
                    .bind(change.paused_days)
                    .bind(change.paused_since)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn start_retention_run(
                &mut self,
                slot: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar($crate::sql::START_RETENTION_RUN)
                    .bind(slot)
                    .bind(at)
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn purge(
                &mut self,
                what: $crate::retention::Purge,
                before: chrono::DateTime<chrono::Utc>,
            ) -> Result<u64, $crate::StoreError> {
                let done = sqlx::query($crate::sql::purge(what))
                    .bind(before)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn finish_retention_run(
                &mut self,
                id: i64,
                counts: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::FINISH_RETENTION_RUN)
                    .bind(id)
                    .bind(at)
                    .bind(counts)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn finish_request(
                &mut self,
                id: i64,
                status: &str,
                outcome: Option<&str>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query($crate::sql::FINISH_REQUEST)
                    .bind(id)
                    .bind(status)
                    .bind(outcome)
                    .bind(at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn close_rights_request(
                &mut self,
                id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query($crate::sql::CLOSE_RIGHTS_REQUEST)
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn create_export(
                &mut self,
                export: &$crate::export::NewExport,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::CREATE_EXPORT)
                    .bind(&export.id)
                    .bind(&export.account_id)
                    .bind(export.request_id)
                    .bind(&export.language)
                    .bind(export.sources_total)
                    .bind(export.requested_at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn export_built(
                &mut self,
                built: &$crate::export::ExportBuilt,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query($crate::sql::EXPORT_BUILT)
                    .bind(&built.id)
                    .bind(&built.provider_state)
                    .bind(&built.provider_reason)
                    .bind(built.size_bytes)
                    .bind(built.ready_at)
                    .bind(built.completed_at)
                    .bind(built.expires_at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn schedule_erasure(
                &mut self,
                erasure: &$crate::erasure::NewErasure,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::CREATE_ERASURE)
                    .bind(&erasure.id)
                    .bind(&erasure.status_token_hash)
                    .bind(&erasure.account_id)
                    .bind(erasure.request_id)
                    .bind(erasure.job_id)
                    .bind(&erasure.provider_subscriber)
                    .bind(&erasure.notify_email)
                    .bind(&erasure.language)
                    .bind(erasure.requested_at)
                    .bind(erasure.erase_after)
                    .execute(&mut *self.0)
                    .await?;
                for (system, state) in &erasure.steps {
                    sqlx::query($crate::sql::CREATE_ERASURE_STEP)
                        .bind(&erasure.id)
                        .bind(*system)
                        .bind(*state)
                        .bind(erasure.requested_at)
                        .execute(&mut *self.0)
                        .await?;
                }
                sqlx::query($crate::sql::DEACTIVATE_ACCOUNT)
                    .bind(&erasure.account_id)
                    .bind(erasure.requested_at)
                    .execute(&mut *self.0)
                    .await?;
                sqlx::query($crate::sql::DELETE_ACCOUNT_SESSIONS)
                    .bind(&erasure.account_id)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn cancel_erasure(
                &mut self,
                account_id: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<Option<String>, $crate::StoreError> {
                let id: Option<String> = sqlx::query_scalar($crate::sql::CANCEL_ERASURE)
                    .bind(account_id)
                    .bind(at)
                    .fetch_optional(&mut *self.0)
                    .await?;
                if let Some(id) = &id {
                    sqlx::query($crate::sql::CANCEL_ERASURE_REQUEST)
                        .bind(id)
                        .bind(at)
                        .execute(&mut *self.0)
                        .await?;
                    sqlx::query($crate::sql::REACTIVATE_ACCOUNT)
                        .bind(account_id)
                        .execute(&mut *self.0)
                        .await?;
                }
                Ok(id)
            }

            async fn start_erasure(
                &mut self,
                id: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query($crate::sql::START_ERASURE)
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn erase_account(
                &mut self,
                erasure: &$crate::erasure::AccountErasure,
            ) -> Result<(), $crate::StoreError> {
                use $crate::sql::ErasureBind;
                for (statement, binds) in $crate::sql::ERASE_ACCOUNT {
                    let mut query = sqlx::query(*statement);
                    for bind in *binds {
                        query = match bind {
                            ErasureBind::Account => query.bind(&erasure.account_id),
                            ErasureBind::Erasure => query.bind(&erasure.erasure_id),
                            ErasureBind::Request => query.bind(erasure.request_id),
                            ErasureBind::At => query.bind(erasure.at),
                            ErasureBind::EmailKey => query.bind(&erasure.email_key),
                            ErasureBind::FailuresKey => query.bind(&erasure.failures_key),
                            ErasureBind::Pseudonym => query.bind(&erasure.pseudonym),
                        };
                    }
                    query.execute(&mut *self.0).await?;
                }
                self.set_erasure_step(&erasure.erasure_id, "portal", "done", None, erasure.at)
                    .await
            }

            async fn set_erasure_step(
                &mut self,
                id: &str,
                system: &str,
                state: &str,
                detail: Option<&str>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::ERASURE_STEP)
                    .bind(id)
                    .bind(system)
                    .bind(state)
                    .bind(detail)
                    .bind(at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn record_erasure_notice(
                &mut self,
                id: &str,
                kind: &str,
                recipient: &str,
                mail_id: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sql::ERASURE_NOTICE)
                    .bind(id)
                    .bind(kind)
                    .bind(recipient)
                    .bind(mail_id)
                    .execute(&mut *self.0)
                    .await?;
                Ok(())
            }

            async fn complete_erasure(
                &mut self,
                id: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query($crate::sql::COMPLETE_ERASURE)
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn commit(self: Box<Self>) -> Result<(), $crate::StoreError> {
                self.0.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_transaction;
