//! Statements both backends run unchanged (`$n` binds work on SQLite and PostgreSQL alike).

pub const INSERT_SESSION: &str = "INSERT INTO sessions
        (id_hash, account_id, device, data, created_at, last_seen_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (id_hash) DO NOTHING";

pub const SAVE_SESSION: &str = "INSERT INTO sessions
        (id_hash, account_id, device, data, created_at, last_seen_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (id_hash) DO UPDATE SET
        account_id = excluded.account_id,
        device = excluded.device,
        data = excluded.data,
        last_seen_at = excluded.last_seen_at,
        expires_at = excluded.expires_at";

const SESSION_COLUMNS: &str =
    "id_hash, account_id, device, data, created_at, last_seen_at, expires_at";

pub fn load_session() -> String {
    format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id_hash = $1")
}

pub fn account_sessions() -> String {
    format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE account_id = $1
         ORDER BY last_seen_at DESC, created_at DESC"
    )
}

pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE id_hash = $1";

pub const END_ACCOUNT_SESSIONS: &str =
    "DELETE FROM sessions WHERE account_id = $1 AND ($2 IS NULL OR id_hash <> $2)";

pub const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";

pub const RECORD_SIGN_IN_FAILURE: &str =
    "INSERT INTO sign_in_failures (account_key, client_key, failed_at) VALUES ($1, $2, $3)";

pub const RECENT_FAILURES_FOR_ACCOUNT: &str = "SELECT failed_at FROM sign_in_failures
    WHERE account_key = $1 AND failed_at > $2 ORDER BY failed_at DESC LIMIT $3";

pub const RECENT_FAILURES_FROM_CLIENT: &str = "SELECT failed_at FROM sign_in_failures
    WHERE client_key = $1 AND failed_at > $2 ORDER BY failed_at DESC LIMIT $3";

pub const CLEAR_SIGN_IN_FAILURES: &str = "DELETE FROM sign_in_failures WHERE account_key = $1";

pub const DELETE_SIGN_IN_FAILURES_BEFORE: &str =
    "DELETE FROM sign_in_failures WHERE failed_at < $1";

pub const CREATE_ACCOUNT: &str = "INSERT INTO accounts
        (id, email, email_key, password_hash, role, language, email_confirmed_at, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub fn account_by_email_key() -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email_key = $1")
}

const ACCOUNT_COLUMNS: &str = "id, email, email_key, password_hash, role, language,
        email_confirmed_at, totp_secret, totp_last_step, provider_subscriber,
        marketing_objection_at, deactivated_at, created_at";

pub fn account_by_id() -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1")
}

pub fn staff_accounts() -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE role <> 'customer' ORDER BY email_key")
}

/// Stores a TOTP step as used unless it (or a later one) was used already: replays lose.
pub const RECORD_TOTP_STEP: &str = "UPDATE accounts SET totp_last_step = $2
    WHERE id = $1 AND totp_secret IS NOT NULL
      AND (totp_last_step IS NULL OR totp_last_step < $2)";

pub const SET_TOTP: &str =
    "UPDATE accounts SET totp_secret = $2, totp_last_step = $3 WHERE id = $1";

pub const LINK_PROVIDER_SUBSCRIBER: &str =
    "UPDATE accounts SET provider_subscriber = $2 WHERE id = $1";

pub const SET_PASSWORD_HASH: &str = "UPDATE accounts SET password_hash = $2 WHERE id = $1";

pub const CONFIRM_EMAIL: &str = "UPDATE accounts SET email_confirmed_at = $2
    WHERE id = $1 AND email_confirmed_at IS NULL";

pub const CHANGE_EMAIL: &str = "UPDATE accounts
    SET email = $2, email_key = $3, email_confirmed_at = $4 WHERE id = $1";

pub const INSERT_AUDIT: &str = "INSERT INTO audit_events (occurred_at, actor, action, subject)
    VALUES ($1, $2, $3, $4)";

pub const INSERT_EMAIL_TOKEN: &str = "INSERT INTO email_tokens
        (token_hash, account_id, purpose, new_email, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6)";

/// The token, if it is unused and unexpired; does not use it.
pub const VALID_EMAIL_TOKEN: &str = "SELECT account_id, new_email FROM email_tokens
    WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3";

/// Uses the token if it is unused and unexpired: of two concurrent uses, one wins.
pub const USE_EMAIL_TOKEN: &str = "UPDATE email_tokens SET used_at = $3
    WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
    RETURNING account_id, new_email";

/// Makes every outstanding link of one purpose for an account unusable.
pub const REVOKE_EMAIL_TOKENS: &str = "UPDATE email_tokens SET used_at = $3
    WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL";

pub const ENQUEUE_MAIL: &str = "INSERT INTO mail_outbox
        (recipient, subject, body_text, body_html, created_at, next_attempt_at)
    VALUES ($1, $2, $3, $4, $5, $5)
    RETURNING id";

/// Claims due messages for `$2` (a lease: a crashed sender's claim runs out), oldest first.
/// `{lock}` is `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers anyway.
pub fn claim_mail(lock: &str) -> String {
    format!(
        "UPDATE mail_outbox SET locked_until = $2, attempts = attempts + 1
         WHERE id IN (
             SELECT id FROM mail_outbox
             WHERE next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
             ORDER BY id LIMIT $3 {lock})
         RETURNING id, recipient, subject, body_text, body_html, attempts"
    )
}

pub const MAIL_SENT: &str = "DELETE FROM mail_outbox WHERE id = $1";

pub const MAIL_FAILED: &str =
    "UPDATE mail_outbox SET locked_until = NULL, next_attempt_at = $2 WHERE id = $1";

pub const MAIL_WAITING: &str = "SELECT COUNT(*) FROM mail_outbox";

pub const ENQUEUE_JOB: &str = "INSERT INTO jobs
        (kind, payload, idempotency_key, account_id, status, max_attempts, created_at,
         next_attempt_at)
    VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7)
    RETURNING id";

const JOB_COLUMNS: &str = "id, kind, payload, idempotency_key, account_id, status, attempts,
        max_attempts, created_at, next_attempt_at, last_attempt_at, last_error, finished_at";

/// Claims due jobs until `$2`, oldest first; `{lock}` as for mail.
pub fn claim_jobs(lock: &str) -> String {
    format!(
        "UPDATE jobs SET locked_until = $2, attempts = attempts + 1, last_attempt_at = $1
         WHERE id IN (
             SELECT id FROM jobs
             WHERE status = 'queued' AND next_attempt_at <= $1
               AND (locked_until IS NULL OR locked_until <= $1)
             ORDER BY id LIMIT $3 {lock})
         RETURNING {JOB_COLUMNS}"
    )
}

pub fn job_by_id() -> String {
    format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1")
}

pub fn jobs_with_status() -> String {
    format!("SELECT {JOB_COLUMNS} FROM jobs WHERE status = $1 ORDER BY id LIMIT $2")
}

/// An account's jobs, newest first.
pub fn account_jobs() -> String {
    format!("SELECT {JOB_COLUMNS} FROM jobs WHERE account_id = $1 ORDER BY id DESC LIMIT $2")
}

pub const JOB_DONE: &str = "UPDATE jobs
    SET status = 'done', locked_until = NULL, finished_at = $2, last_error = NULL,
        payload = '{}'
    WHERE id = $1 AND status = 'queued'";

/// A failed attempt: retried at `$3`, or parked as dead when `$3` is NULL.
pub const JOB_FAILED: &str = "UPDATE jobs
    SET locked_until = NULL, last_error = $2,
        status = CASE WHEN $3 IS NULL THEN 'dead' ELSE 'queued' END,
        next_attempt_at = COALESCE($3, next_attempt_at),
        finished_at = CASE WHEN $3 IS NULL THEN $4 ELSE NULL END
    WHERE id = $1 AND status = 'queued'";

/// Not a failure: the job waits for something (an operation the provider is still carrying out,
/// or a circuit that is open) and runs again at `$2`; the attempt is not counted.
pub const JOB_POSTPONED: &str = "UPDATE jobs
    SET locked_until = NULL, next_attempt_at = $2, attempts = attempts - 1
    WHERE id = $1 AND status = 'queued'";

/// Staff retry a dead job: it is queued again with a fresh set of attempts.
pub const RETRY_JOB: &str = "UPDATE jobs
    SET status = 'queued', attempts = 0, next_attempt_at = $2, finished_at = NULL
    WHERE id = $1 AND status = 'dead'";

const PROFILE_COLUMNS: &str = "account_id, name, phone, company, job_title, street, postcode,
        city, country, version, updated_at";

pub fn profile() -> String {
    format!("SELECT {PROFILE_COLUMNS} FROM profiles WHERE account_id = $1")
}

/// The first save of a profile (version 1); nothing when one exists already.
pub const INSERT_PROFILE: &str = "INSERT INTO profiles
        (account_id, name, phone, company, job_title, street, postcode, city, country, version,
         updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)
    ON CONFLICT (account_id) DO NOTHING";

/// A later save, only over the version the form was made from (`$11`).
pub const UPDATE_PROFILE: &str = "UPDATE profiles
    SET name = $2, phone = $3, company = $4, job_title = $5, street = $6, postcode = $7,
        city = $8, country = $9, updated_at = $10, version = version + 1
    WHERE account_id = $1 AND version = $11";

pub const RECORD_CORRECTION: &str = "INSERT INTO corrections
        (account_id, category, field, actor, corrected_at)
    VALUES ($1, $2, $3, $4, $5)
    RETURNING id";

pub const CORRECTIONS: &str = "SELECT id, account_id, category, field, actor, corrected_at
    FROM corrections WHERE account_id = $1 ORDER BY id DESC LIMIT $2";

pub const RECORD_NOTICE: &str = "INSERT INTO recipient_notices
        (account_id, correction_id, request_id, recipient, channel, mail_id, job_id, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    RETURNING id";

/// A mail handed to the mail server: its row goes, and the recipients it told are told.
pub const MAIL_TOLD: &str = "UPDATE recipient_notices SET told_at = $2
    WHERE mail_id = $1 AND told_at IS NULL";

/// … and so are the erasure's recipients (or its holder).
pub const MAIL_TOLD_ERASURE: &str = "UPDATE erasure_notices SET told_at = $2
    WHERE mail_id = $1 AND told_at IS NULL";

/// A job the provider confirmed: the provider is told of the correction it carried.
pub const JOB_TOLD: &str = "UPDATE recipient_notices SET told_at = $2
    WHERE job_id = $1 AND told_at IS NULL";

pub const NOTICES: &str = "SELECT id, correction_id, request_id, recipient, channel, created_at,
        told_at
    FROM recipient_notices WHERE account_id = $1 ORDER BY id";

pub const CREATE_RIGHTS_REQUEST: &str = "INSERT INTO rights_requests
        (account_id, kind, status, category, details, received_at, closed_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    RETURNING id";

const REQUEST_COLUMNS: &str = "id, account_id, kind, status, category, details, received_at,
        closed_at, extended_months, paused_days, paused_since, assigned_to, outcome";

pub fn rights_requests() -> String {
    format!(
        "SELECT {REQUEST_COLUMNS} FROM rights_requests
         WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    )
}

pub fn rights_request() -> String {
    format!("SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE id = $1")
}

/// Requests with a status, oldest first (the queue sorts them by deadline).
pub fn requests_with_status() -> String {
    format!(
        "SELECT {REQUEST_COLUMNS} FROM rights_requests
         WHERE status = $1 AND account_id IS NOT NULL ORDER BY id LIMIT $2"
    )
}

pub const REQUEST_EVENTS: &str = "SELECT id, request_id, author, staff_id, kind, body, created_at
    FROM request_events WHERE request_id = $1 ORDER BY id";

pub const ADD_REQUEST_EVENT: &str = "INSERT INTO request_events
        (request_id, author, staff_id, kind, body, created_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    RETURNING id";

pub const ASSIGN_REQUEST: &str =
    "UPDATE rights_requests SET assigned_to = $2 WHERE id = $1 AND status = 'open'";

pub const SET_REQUEST_DEADLINE: &str = "UPDATE rights_requests
    SET extended_months = $2, paused_days = $3, paused_since = $4
    WHERE id = $1 AND status = 'open'";

pub const FINISH_REQUEST: &str = "UPDATE rights_requests
    SET status = $2, outcome = $3, closed_at = $4, paused_since = NULL
    WHERE id = $1 AND status = 'open'";

pub const RECORD_STAFF_ACCESS: &str = "INSERT INTO staff_access
        (account_id, staff_id, staff_email, staff_role, purpose, accessed_at)
    VALUES ($1, $2, $3, $4, $5, $6)";

pub const STAFF_ACCESSES: &str =
    "SELECT id, account_id, staff_id, staff_email, staff_role, purpose,
        accessed_at
    FROM staff_access WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";

pub const CLOSE_RIGHTS_REQUEST: &str =
    "UPDATE rights_requests SET status = 'closed', closed_at = $2
    WHERE id = $1 AND status = 'open'";

pub const SET_MARKETING_OBJECTION: &str =
    "UPDATE accounts SET marketing_objection_at = $2 WHERE id = $1";

pub const INSERT_CONTACT_MESSAGE: &str = "INSERT INTO contact_messages
        (account_id, subject, message, received_at)
    VALUES ($1, $2, $3, $4)
    RETURNING id";

pub const CONTACT_MESSAGES: &str = "SELECT id, account_id, subject, message, received_at
    FROM contact_messages WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";

pub const INSERT_QUOTE_REQUEST: &str = "INSERT INTO quote_requests
        (account_id, service, details, requested_at, supplier_name, supplier_email, shared_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    RETURNING id";

pub const QUOTE_REQUESTS: &str = "SELECT id, account_id, service, details, requested_at,
        supplier_name, supplier_email, shared_at
    FROM quote_requests WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";

pub const INSERT_INVOICE: &str = "INSERT INTO invoices
        (account_id, number, description, amount_cents, issued_at)
    VALUES ($1, $2, $3, $4, $5)
    RETURNING id";

pub const INVOICES: &str = "SELECT id, account_id, number, description, amount_cents, issued_at
    FROM invoices WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";

const EXPORT_COLUMNS: &str = "id, account_id, request_id, language, status, provider_state,
    provider_reason, phase, sources_done, sources_total, items_done, size_bytes, requested_at,
    ready_at, completed_at, expires_at";

pub const CREATE_EXPORT: &str = "INSERT INTO exports
        (id, account_id, request_id, language, status, provider_state, sources_total,
         requested_at)
    VALUES ($1, $2, $3, $4, 'building', 'waiting', $5, $6)";

pub fn export() -> String {
    format!("SELECT {EXPORT_COLUMNS} FROM exports WHERE id = $1")
}

pub fn exports() -> String {
    format!(
        "SELECT {EXPORT_COLUMNS} FROM exports WHERE account_id = $1
         ORDER BY requested_at DESC, id LIMIT $2"
    )
}

pub const EXPORT_PROGRESS: &str = "UPDATE exports
    SET phase = $2, sources_done = $3, items_done = $4
    WHERE id = $1 AND status = 'building'";

pub const EXPORT_BUILT: &str = "UPDATE exports
    SET status = 'ready', provider_state = $2, provider_reason = $3, size_bytes = $4,
        ready_at = $5, completed_at = $6, expires_at = $7, phase = NULL,
        sources_done = sources_total
    WHERE id = $1 AND (status = 'building' OR (status = 'ready' AND provider_state = 'pending'))";

pub const EXPORT_EXPIRED: &str = "UPDATE exports SET status = 'expired', size_bytes = NULL WHERE id = $1 AND status <> 'expired'";

const ERASURE_COLUMNS: &str = "id, account_id, request_id, job_id, provider_subscriber,
    notify_email, language, status, requested_at, erase_after, started_at, completed_at,
    cancelled_at";

pub const CREATE_ERASURE: &str = "INSERT INTO erasures
        (id, status_token_hash, account_id, request_id, job_id, provider_subscriber,
         notify_email, language, status, requested_at, erase_after)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'scheduled', $9, $10)";

pub const CREATE_ERASURE_STEP: &str = "INSERT INTO erasure_steps (erasure_id, system, state, since)
    VALUES ($1, $2, $3, $4)";

pub const DEACTIVATE_ACCOUNT: &str = "UPDATE accounts SET deactivated_at = $2 WHERE id = $1";

pub const DELETE_ACCOUNT_SESSIONS: &str = "DELETE FROM sessions WHERE account_id = $1";

pub fn erasure() -> String {
    format!("SELECT {ERASURE_COLUMNS} FROM erasures WHERE id = $1")
}

pub fn erasure_by_token() -> String {
    format!("SELECT {ERASURE_COLUMNS} FROM erasures WHERE status_token_hash = $1")
}

pub fn pending_erasure() -> String {
    format!(
        "SELECT {ERASURE_COLUMNS} FROM erasures
         WHERE account_id = $1 AND status IN ('scheduled', 'running')"
    )
}

pub const ERASURE_STEPS: &str = "SELECT system, state, since, detail FROM erasure_steps
    WHERE erasure_id = $1
    ORDER BY CASE system WHEN 'portal' THEN 1 WHEN 'directory' THEN 2 WHEN 'provider' THEN 3
        WHEN 'recipients' THEN 4 ELSE 5 END";

pub const ERASURE_NOTICES: &str = "SELECT kind, recipient, mail_id, told_at FROM erasure_notices
    WHERE erasure_id = $1 ORDER BY id";

/// A scheduled erasure is called off (the holder signed in) while its cool-off lasts; one
/// asked for at once, or whose cool-off is over, cannot be. Returns its id.
pub const CANCEL_ERASURE: &str = "UPDATE erasures
    SET status = 'cancelled', cancelled_at = $2, notify_email = NULL, provider_subscriber = NULL
    WHERE account_id = $1 AND status = 'scheduled' AND erase_after > $2
    RETURNING id";

/// … and so is the erasure request it answered.
pub const CANCEL_ERASURE_REQUEST: &str = "UPDATE rights_requests
    SET status = 'cancelled', closed_at = $2
    WHERE id = (SELECT request_id FROM erasures WHERE id = $1) AND status = 'open'";

pub const REACTIVATE_ACCOUNT: &str = "UPDATE accounts SET deactivated_at = NULL WHERE id = $1";

pub const START_ERASURE: &str = "UPDATE erasures SET status = 'running', started_at = $2
    WHERE id = $1 AND status = 'scheduled'";

/// A step's new state; `since` moves only when the state changes.
pub const ERASURE_STEP: &str = "UPDATE erasure_steps
    SET since = CASE WHEN state = $3 THEN since ELSE $5 END, state = $3, detail = $4
    WHERE erasure_id = $1 AND system = $2";

pub const ERASURE_NOTICE: &str = "INSERT INTO erasure_notices
        (erasure_id, kind, recipient, mail_id)
    VALUES ($1, $2, $3, $4)";

pub const COMPLETE_ERASURE: &str = "UPDATE erasures
    SET status = 'complete', completed_at = $2, notify_email = NULL, provider_subscriber = NULL
    WHERE id = $1 AND status = 'running'";

pub const RECORD_CONSENT: &str = "INSERT INTO consent_records
    (consent_id, account_id, functional, analytical, commercial, statement_version, method, gpc,
     recorded_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";

const CONSENT_COLUMNS: &str = "id, consent_id, account_id, functional, analytical, commercial,
    statement_version, method, gpc, recorded_at";

pub fn consent_records() -> String {
    format!(
        "SELECT {CONSENT_COLUMNS} FROM consent_records
         WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    )
}

pub const COUNT_PAGE_VIEW: &str = "INSERT INTO page_views (day, path, views, visitors)
    VALUES ($1, $2, 1, $3)
    ON CONFLICT (day, path) DO UPDATE
    SET views = page_views.views + 1, visitors = page_views.visitors + excluded.visitors";

pub const PAGE_VIEWS: &str = "SELECT day, path, views, visitors FROM page_views
    WHERE day >= $1 ORDER BY day DESC, views DESC, path";

/// A value an erasure statement binds.
#[derive(Debug, Clone, Copy)]
pub enum ErasureBind {
    Account,
    Erasure,
    Request,
    At,
    EmailKey,
    FailuresKey,
    Pseudonym,
}

/// The statements of one account's erasure, in order, each with the values it binds as $1, $2, …
pub const ERASE_ACCOUNT: &[(&str, &[ErasureBind])] = {
    use ErasureBind::*;
    &[
        // Invoices are kept for the tax authority (Art. 17(3)(b) GDPR), no longer the account's.
        (
            "UPDATE invoices SET account_id = NULL WHERE account_id = $1",
            &[Account],
        ),
        // Threads lose what was written; the steps stay with the requests.
        (
            "UPDATE request_events SET body = ''
             WHERE request_id IN (SELECT id FROM rights_requests WHERE account_id = $1)",
            &[Account],
        ),
        // Requests are kept for accountability without their free text; those still open end.
        (
            "UPDATE rights_requests
             SET details = '',
                 closed_at = CASE WHEN status = 'open' AND id <> COALESCE($2, -1) THEN $3
                                  ELSE closed_at END,
                 status = CASE WHEN status = 'open' AND id <> COALESCE($2, -1) THEN 'cancelled'
                               ELSE status END,
                 account_id = NULL
             WHERE account_id = $1",
            &[Account, Request, At],
        ),
        (
            "UPDATE audit_events SET subject = $2 WHERE subject = $1",
            &[Account, Pseudonym],
        ),
        // Proof of cookie consent is kept for its own period, no longer linked to anyone.
        (
            "UPDATE consent_records SET account_id = NULL WHERE account_id = $1",
            &[Account],
        ),
        ("DELETE FROM jobs WHERE account_id = $1", &[Account]),
        (
            "DELETE FROM mail_outbox WHERE lower(recipient) = $1",
            &[EmailKey],
        ),
        (
            "DELETE FROM sign_in_failures WHERE account_key = $1",
            &[FailuresKey],
        ),
        ("DELETE FROM sessions WHERE account_id = $1", &[Account]),
        ("DELETE FROM corrections WHERE account_id = $1", &[Account]),
        (
            "UPDATE erasures SET account_id = NULL,
                 notify_email = CASE WHEN id = $2 THEN notify_email ELSE NULL END
             WHERE account_id = $1",
            &[Account, Erasure],
        ),
        // The rest goes with the account: tokens, profile, messages, quote requests, notices,
        // exports (their files are deleted before).
        ("DELETE FROM accounts WHERE id = $1", &[Account]),
    ]
};

pub const ENQUEUE_JOB_ONCE: &str = "INSERT INTO jobs
        (kind, payload, idempotency_key, account_id, status, max_attempts, created_at,
         next_attempt_at)
    VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7)
    ON CONFLICT (idempotency_key) DO NOTHING";

pub const START_RETENTION_RUN: &str = "INSERT INTO retention_runs (slot, started_at, counts)
    VALUES ($1, $2, '{}') RETURNING id";

pub const FINISH_RETENTION_RUN: &str =
    "UPDATE retention_runs SET finished_at = $2, counts = $3 WHERE id = $1";

pub const RETENTION_RUNS: &str = "SELECT id, slot, started_at, finished_at, counts
    FROM retention_runs ORDER BY id DESC LIMIT $1";

pub const EXPORTS_PAST_EXPIRY: &str =
    "SELECT id FROM exports WHERE status = 'ready' AND expires_at < $1 ORDER BY id";

/// The statement deleting one kind of row whose period started before `$1`.
pub fn purge(what: crate::retention::Purge) -> &'static str {
    use crate::retention::Purge;
    match what {
        Purge::UnconfirmedAccounts => {
            "DELETE FROM accounts
             WHERE role = 'customer' AND email_confirmed_at IS NULL AND created_at < $1
               AND NOT EXISTS (SELECT 1 FROM invoices WHERE invoices.account_id = accounts.id)"
        }
        Purge::ContactMessages => "DELETE FROM contact_messages WHERE received_at < $1",
        Purge::QuoteRequests => "DELETE FROM quote_requests WHERE requested_at < $1",
        Purge::SignInFailures => DELETE_SIGN_IN_FAILURES_BEFORE,
        Purge::DoneJobs => "DELETE FROM jobs WHERE status = 'done' AND finished_at < $1",
        Purge::ExpiredSessions => "DELETE FROM sessions WHERE expires_at < $1",
        Purge::ExpiredLinks => "DELETE FROM email_tokens WHERE expires_at < $1",
        Purge::ConsentRecords => "DELETE FROM consent_records WHERE recorded_at < $1",
        Purge::ClosedRequests => {
            "DELETE FROM rights_requests
             WHERE status IN ('closed', 'cancelled') AND closed_at < $1"
        }
        Purge::StaffAccess => "DELETE FROM staff_access WHERE accessed_at < $1",
        Purge::Invoices => "DELETE FROM invoices WHERE issued_at < $1",
    }
}

pub const COUNT_JOBS: &str = "SELECT COUNT(*) FROM jobs WHERE status = $1";
