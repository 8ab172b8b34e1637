-- Proof of cookie consent (Art. 7(1) GDPR): one row per choice. `consent_id` is the anonymous id
-- the browser's technical consent cookie carries, the same for every choice made on that device;
-- `account_id` is set when the choice was made signed in, so it follows the account to other
-- devices. `method` is where the choice was made: the banner, the settings page, or the
-- browser's Global Privacy Control signal; `gpc` whether that signal was present.
CREATE TABLE consent_records (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    consent_id        TEXT NOT NULL,
    account_id        TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    functional        INTEGER NOT NULL CHECK (functional IN (0, 1)),
    analytical        INTEGER NOT NULL CHECK (analytical IN (0, 1)),
    commercial        INTEGER NOT NULL CHECK (commercial IN (0, 1)),
    statement_version TEXT NOT NULL,
    method            TEXT NOT NULL CHECK (method IN ('banner', 'settings', 'gpc')),
    gpc               INTEGER NOT NULL CHECK (gpc IN (0, 1)),
    recorded_at       TEXT NOT NULL
) STRICT;
CREATE INDEX consent_records_account ON consent_records (account_id, id);
CREATE INDEX consent_records_consent ON consent_records (consent_id, id);

-- Aggregate page views (Telecommunicatiewet art. 11.7a exemption): a count per page and day, no
-- address, no identifier. `visitors` counts only views by visitors who allowed analytical
-- cookies and had not been counted that day.
CREATE TABLE page_views (
    day      TEXT NOT NULL,
    path     TEXT NOT NULL,
    views    INTEGER NOT NULL,
    visitors INTEGER NOT NULL,
    PRIMARY KEY (day, path)
) STRICT;
