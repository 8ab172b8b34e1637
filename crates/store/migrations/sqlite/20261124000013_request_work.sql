-- The deadline of a rights request (Art. 12(3) GDPR) is computed from `received_at` in the
-- person's time zone; what changes it is kept here: further months granted (with the reason in
-- the thread), days the clock stood still, and since when it stands still now.
ALTER TABLE rights_requests ADD COLUMN extended_months INTEGER NOT NULL DEFAULT 0
    CHECK (extended_months BETWEEN 0 AND 2);
ALTER TABLE rights_requests ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rights_requests ADD COLUMN paused_since TEXT;
-- The staff member working it, and how a closed request ended.
ALTER TABLE rights_requests ADD COLUMN assigned_to TEXT REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE rights_requests ADD COLUMN outcome TEXT CHECK (outcome IN ('completed', 'refused'));
CREATE INDEX rights_requests_status ON rights_requests (status, id);

-- A request's history and its thread between the person and staff, one row per step:
-- filed, message (the person), reply, info-requested, extended, completed, refused, cancelled,
-- assigned. `body` is what was written (emptied when the person's account is erased).
CREATE TABLE request_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES rights_requests (id) ON DELETE CASCADE,
    author     TEXT NOT NULL CHECK (author IN ('holder', 'staff', 'system')),
    staff_id   TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX request_events_request ON request_events (request_id, id);

-- Every time a staff member opened a person's data: shown to that person under "Mijn gegevens".
-- The staff member's address is kept as text, so the entry outlives their account.
CREATE TABLE staff_access (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    staff_id    TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    staff_email TEXT NOT NULL,
    staff_role  TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    accessed_at TEXT NOT NULL
) STRICT;
CREATE INDEX staff_access_account ON staff_access (account_id, id);
