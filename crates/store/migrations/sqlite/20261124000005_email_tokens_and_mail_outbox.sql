-- Single-use links sent by e-mail: confirm an address, reset a password, confirm a new address.
-- The link's token is never stored, only its SHA-256.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('confirm', 'reset', 'email_change')),
    new_email  TEXT CHECK ((purpose = 'email_change') = (new_email IS NOT NULL)),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;

CREATE INDEX email_tokens_account ON email_tokens (account_id, purpose);

-- Outgoing e-mail, written in the same transaction as what caused it and sent by the mail
-- worker; a row is deleted once its message is handed to the mail server, so a link's token
-- stays in the database only while its mail waits.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    locked_until    TEXT
) STRICT;

CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at);
