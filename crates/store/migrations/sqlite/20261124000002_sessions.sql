-- Server-side sessions. The cookie's session id is never stored: only its SHA-256, so a copy of
-- this table cannot be replayed as cookies.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
    account_id   TEXT,
    device       TEXT CHECK (device IS NULL OR length(device) <= 200),
    data         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
