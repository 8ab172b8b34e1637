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

pub const ACCOUNT_BY_EMAIL_KEY: &str = "SELECT id, email, email_key, password_hash, role, language,
        email_confirmed_at, totp_secret, totp_last_step, created_at
    FROM accounts WHERE email_key = $1";
