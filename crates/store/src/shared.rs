//! The `Store` methods whose statements are the same on both backends, written once. Each
//! backend calls [`impl_store!`] with its own methods (migrations, transactions, the claims whose
//! lock clauses differ); names in the shared bodies (`sql`, `bind_session`, row types) resolve in
//! the backend's module.

macro_rules! impl_store {
    ($backend:ty, { $($own:tt)* }) => {
        #[async_trait]
        impl Store for $backend {
            $($own)*

            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn record_audit(&self, event: NewAuditEvent) -> Result<AuditEvent, StoreError> {
                sqlx::query_as::<_, AuditRow>(
                    "INSERT INTO audit_events (occurred_at, actor, action, subject)
                     VALUES ($1, $2, $3, $4)
                     RETURNING id, occurred_at, actor, action, subject",
                )
                .bind(event.occurred_at)
                .bind(event.actor.as_str())
                .bind(&event.action)
                .bind(&event.subject)
                .fetch_one(&self.pool)
                .await?
                .try_into()
            }

            async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditEvent>, StoreError> {
                sqlx::query_as::<_, AuditRow>(
                    "SELECT id, occurred_at, actor, action, subject
                     FROM audit_events ORDER BY id DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(AuditEvent::try_from)
                .collect()
            }

            async fn has_audit(&self, subject: &str, action: &str) -> Result<bool, StoreError> {
                let found: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM audit_events
                     WHERE subject = $1 AND action = $2 LIMIT 1) AS found",
                )
                .bind(subject)
                .bind(action)
                .fetch_one(&self.pool)
                .await?;
                Ok(found > 0)
            }

            async fn insert_session(&self, session: &SessionRow) -> Result<bool, StoreError> {
                let done = bind_session(sqlx::query(sql::INSERT_SESSION), session)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn save_session(&self, session: &SessionRow) -> Result<(), StoreError> {
                bind_session(sqlx::query(sql::SAVE_SESSION), session)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn load_session(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, SessionRow>(sqlx::AssertSqlSafe(sql::load_session()))
                        .bind(id_hash)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
                sqlx::query(sql::DELETE_SESSION)
                    .bind(id_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn account_sessions(&self, account_id: &str) -> Result<Vec<SessionRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, SessionRow>(sqlx::AssertSqlSafe(sql::account_sessions()))
                        .bind(account_id)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn end_account_sessions(
                &self,
                account_id: &str,
                keep: Option<&str>,
            ) -> Result<u64, StoreError> {
                let done = sqlx::query(sql::END_ACCOUNT_SESSIONS)
                    .bind(account_id)
                    .bind(keep)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
                let done = sqlx::query(sql::DELETE_EXPIRED_SESSIONS)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn account_by_email_key(
                &self,
                email_key: &str,
            ) -> Result<Option<AccountRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, AccountRow>(sqlx::AssertSqlSafe(sql::account_by_email_key()))
                        .bind(email_key)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn account_by_id(&self, id: &str) -> Result<Option<AccountRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, AccountRow>(sqlx::AssertSqlSafe(sql::account_by_id()))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn staff_accounts(&self) -> Result<Vec<AccountRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, AccountRow>(sqlx::AssertSqlSafe(sql::staff_accounts()))
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn record_totp_step(&self, account_id: &str, step: i64) -> Result<bool, StoreError> {
                let done = sqlx::query(sql::RECORD_TOTP_STEP)
                    .bind(account_id)
                    .bind(step)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn valid_email_token(
                &self,
                token_hash: &str,
                purpose: TokenPurpose,
                now: DateTime<Utc>,
            ) -> Result<Option<ValidToken>, StoreError> {
                Ok(sqlx::query_as::<_, ValidToken>(sql::VALID_EMAIL_TOKEN)
                    .bind(token_hash)
                    .bind(purpose.as_str())
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn mail_sent(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(sql::MAIL_SENT).bind(id).execute(&mut *tx).await?;
                sqlx::query(sql::MAIL_TOLD).bind(id).bind(at).execute(&mut *tx).await?;
                sqlx::query(sql::MAIL_TOLD_ERASURE)
                    .bind(id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn mail_dropped(&self, id: i64) -> Result<(), StoreError> {
                sqlx::query(sql::MAIL_SENT).bind(id).execute(&self.pool).await?;
                Ok(())
            }

            async fn mail_failed(&self, id: i64, retry_at: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query(sql::MAIL_FAILED)
                    .bind(id)
                    .bind(retry_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn job_done(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(sql::JOB_DONE).bind(id).bind(at).execute(&mut *tx).await?;
                sqlx::query(sql::JOB_TOLD).bind(id).bind(at).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            async fn job_failed(
                &self,
                id: i64,
                error: &str,
                retry_at: Option<DateTime<Utc>>,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                sqlx::query(sql::JOB_FAILED)
                    .bind(id)
                    .bind(error)
                    .bind(retry_at)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn job_postponed(&self, id: i64, retry_at: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query(sql::JOB_POSTPONED)
                    .bind(id)
                    .bind(retry_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn account_jobs(&self, account_id: &str, limit: u32) -> Result<Vec<JobRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql::account_jobs()))
                        .bind(account_id)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn profile(
                &self,
                account_id: &str,
            ) -> Result<Option<crate::profile::ProfileRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, crate::profile::ProfileRow>(sqlx::AssertSqlSafe(sql::profile()))
                        .bind(account_id)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn notices(
                &self,
                account_id: &str,
            ) -> Result<Vec<crate::records::NoticeRow>, StoreError> {
                Ok(sqlx::query_as(sql::NOTICES).bind(account_id).fetch_all(&self.pool).await?)
            }

            async fn rights_requests(
                &self,
                account_id: &str,
                page: crate::records::Page,
            ) -> Result<Vec<crate::records::RightsRequestRow>, StoreError> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql::rights_requests()))
                    .bind(account_id)
                    .bind(page.before_id())
                    .bind(page.limit())
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn rights_request(
                &self,
                id: i64,
            ) -> Result<Option<crate::records::RightsRequestRow>, StoreError> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql::rights_request()))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn requests_with_status(
                &self,
                status: &str,
                limit: u32,
            ) -> Result<Vec<crate::records::RightsRequestRow>, StoreError> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql::requests_with_status()))
                    .bind(status)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn request_events(
                &self,
                request_id: i64,
            ) -> Result<Vec<crate::records::RequestEventRow>, StoreError> {
                Ok(sqlx::query_as(sql::REQUEST_EVENTS)
                    .bind(request_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn record_staff_access(
                &self,
                a: &crate::records::NewStaffAccess,
            ) -> Result<(), StoreError> {
                sqlx::query(sql::RECORD_STAFF_ACCESS)
                    .bind(&a.account_id)
                    .bind(&a.staff_id)
                    .bind(&a.staff_email)
                    .bind(&a.staff_role)
                    .bind(&a.purpose)
                    .bind(a.accessed_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn staff_accesses(
                &self,
                account_id: &str,
                page: crate::records::Page,
            ) -> Result<Vec<crate::records::StaffAccessRow>, StoreError> {
                Ok(sqlx::query_as(sql::STAFF_ACCESSES)
                    .bind(account_id)
                    .bind(page.before_id())
                    .bind(page.limit())
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn contact_messages(
                &self,
                account_id: &str,
                page: crate::records::Page,
            ) -> Result<Vec<crate::records::ContactMessageRow>, StoreError> {
                Ok(sqlx::query_as(sql::CONTACT_MESSAGES)
                    .bind(account_id)
                    .bind(page.before_id())
                    .bind(page.limit())
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn quote_requests(
                &self,
                account_id: &str,
                page: crate::records::Page,
            ) -> Result<Vec<crate::records::QuoteRequestRow>, StoreError> {
                Ok(sqlx::query_as(sql::QUOTE_REQUESTS)
                    .bind(account_id)
                    .bind(page.before_id())
                    .bind(page.limit())
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn invoices(
                &self,
                account_id: &str,
                page: crate::records::Page,
            ) -> Result<Vec<crate::records::InvoiceRow>, StoreError> {
                Ok(sqlx::query_as(sql::INVOICES)
                    .bind(account_id)
                    .bind(page.before_id())
                    .bind(page.limit())
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn erasure(
                &self,
                id: &str,
            ) -> Result<Option<crate::erasure::ErasureRow>, StoreError> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql::erasure()))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn erasure_by_token(
                &self,
                token_hash: &str,
            ) -> Result<Option<crate::erasure::ErasureRow>, StoreError> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql::erasure_by_token()))
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn pending_erasure(
                &self,
                account_id: &str,
            ) -> Result<Option<crate::erasure::ErasureRow>, StoreError> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql::pending_erasure()))
                    .bind(account_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn erasure_steps(
                &self,
                id: &str,
            ) -> Result<Vec<crate::erasure::ErasureStepRow>, StoreError> {
                Ok(sqlx::query_as(sql::ERASURE_STEPS)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn erasure_notices(
                &self,
                id: &str,
            ) -> Result<Vec<crate::erasure::ErasureNoticeRow>, StoreError> {
                Ok(sqlx::query_as(sql::ERASURE_NOTICES)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn export(
                &self,
                id: &str,
            ) -> Result<Option<crate::export::ExportRow>, StoreError> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql::export()))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn exports(
                &self,
                account_id: &str,
                limit: u32,
            ) -> Result<Vec<crate::export::ExportRow>, StoreError> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql::exports()))
                    .bind(account_id)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn export_progress(
                &self,
                id: &str,
                progress: &crate::export::ExportProgress<'_>,
            ) -> Result<(), StoreError> {
                sqlx::query(sql::EXPORT_PROGRESS)
                    .bind(id)
                    .bind(progress.phase)
                    .bind(progress.sources_done)
                    .bind(progress.items_done)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn export_expired(&self, id: &str) -> Result<bool, StoreError> {
                let done = sqlx::query(sql::EXPORT_EXPIRED).bind(id).execute(&self.pool).await?;
                Ok(done.rows_affected() == 1)
            }

            async fn corrections(
                &self,
                account_id: &str,
                limit: u32,
            ) -> Result<Vec<crate::profile::CorrectionRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, crate::profile::CorrectionRow>(sql::CORRECTIONS)
                        .bind(account_id)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn retry_job(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
                let done = sqlx::query(sql::RETRY_JOB)
                    .bind(id)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn job(&self, id: i64) -> Result<Option<JobRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql::job_by_id()))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn jobs_with_status(&self, status: &str, limit: u32) -> Result<Vec<JobRow>, StoreError> {
                Ok(
                    sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql::jobs_with_status()))
                        .bind(status)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn mail_waiting(&self) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(sql::MAIL_WAITING)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn record_consent(
                &self,
                c: &crate::consent::NewConsent,
            ) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(sql::RECORD_CONSENT)
                    .bind(&c.consent_id)
                    .bind(&c.account_id)
                    .bind(c.functional)
                    .bind(c.analytical)
                    .bind(c.commercial)
                    .bind(&c.statement_version)
                    .bind(&c.method)
                    .bind(c.gpc)
                    .bind(c.recorded_at)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn consent_records(
                &self,
                account_id: &str,
                page: crate::records::Page,
            ) -> Result<Vec<crate::consent::ConsentRow>, StoreError> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql::consent_records()))
                    .bind(account_id)
                    .bind(page.before_id())
                    .bind(page.limit())
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn count_page_view(
                &self,
                day: chrono::NaiveDate,
                path: &str,
                visitor: bool,
            ) -> Result<(), StoreError> {
                sqlx::query(sql::COUNT_PAGE_VIEW)
                    .bind(day)
                    .bind(path)
                    .bind(i64::from(visitor))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn page_views(
                &self,
                since: chrono::NaiveDate,
            ) -> Result<Vec<crate::consent::PageViewRow>, StoreError> {
                Ok(sqlx::query_as(sql::PAGE_VIEWS).bind(since).fetch_all(&self.pool).await?)
            }

            async fn record_sign_in_failure(
                &self,
                account_key: &str,
                client_key: &str,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                sqlx::query(sql::RECORD_SIGN_IN_FAILURE)
                    .bind(account_key)
                    .bind(client_key)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn recent_sign_in_failures(
                &self,
                key: FailureKey<'_>,
                since: DateTime<Utc>,
                limit: u32,
            ) -> Result<Vec<DateTime<Utc>>, StoreError> {
                let (statement, key) = match key {
                    FailureKey::Account(key) => (sql::RECENT_FAILURES_FOR_ACCOUNT, key),
                    FailureKey::Client(key) => (sql::RECENT_FAILURES_FROM_CLIENT, key),
                };
                Ok(sqlx::query_scalar(statement)
                    .bind(key)
                    .bind(since)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn clear_sign_in_failures(&self, account_key: &str) -> Result<(), StoreError> {
                sqlx::query(sql::CLEAR_SIGN_IN_FAILURES)
                    .bind(account_key)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn enqueue_job_once(
                &self,
                job: &$crate::job::NewJob,
            ) -> Result<bool, StoreError> {
                let done = bind_new_job!(sqlx::query(sql::ENQUEUE_JOB_ONCE), job)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn count_jobs(&self, status: &str) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(sql::COUNT_JOBS)
                    .bind(status)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn retention_runs(
                &self,
                limit: u32,
            ) -> Result<Vec<$crate::retention::RetentionRunRow>, StoreError> {
                Ok(sqlx::query_as(sql::RETENTION_RUNS)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn exports_past_expiry(
                &self,
                now: DateTime<Utc>,
            ) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar(sql::EXPORTS_PAST_EXPIRY)
                    .bind(now)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn delete_sign_in_failures_before(
                &self,
                cutoff: DateTime<Utc>,
            ) -> Result<u64, StoreError> {
                let done = sqlx::query(sql::DELETE_SIGN_IN_FAILURES_BEFORE)
                    .bind(cutoff)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn close(&self) {
                self.pool.close().await;
            }
        }
    };
}

pub(crate) use impl_store;
