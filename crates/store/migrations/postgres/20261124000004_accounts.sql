-- Accounts of account holders and staff. `email_key` is the address in lower case: one account
-- per address whatever its case. Password hashes are argon2id PHC strings.
CREATE TABLE accounts (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL,
    email_key          TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    role               TEXT NOT NULL CHECK (role IN ('customer', 'support', 'admin')),
    language           TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    email_confirmed_at TIMESTAMPTZ,
    totp_secret        TEXT,
    totp_last_step     BIGINT,
    created_at         TIMESTAMPTZ NOT NULL,
    CONSTRAINT accounts_email_key UNIQUE (email_key)
);
