-- Proof of cookie consent (Art. 7(1) GDPR): one row per choice. `consent_id` is the anonymous id
-- the browser's technical consent cookie carries, the same for every choice made on that device;
-- `account_id` is set when the choice was made signed in, so it follows the account to other
-- devices. `method` is where the choice was made: the banner, the settings page, or the
-- browser's Global Privacy Control signal; `gpc` whether that signal was present.
CREATE TABLE consent_records (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consent_id        TEXT NOT NULL,
    account_id        TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    functional        BOOLEAN NOT NULL,
    analytical        BOOLEAN NOT NULL,
    commercial        BOOLEAN NOT NULL,
    statement_version TEXT NOT NULL,
    method            TEXT NOT NULL CHECK (method IN ('banner', 'settings', 'gpc')),
    gpc               BOOLEAN NOT NULL,
    recorded_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX consent_records_account ON consent_records (account_id, id);
CREATE INDEX consent_records_consent ON consent_records (consent_id, id);

-- Aggregate page views (Telecommunicatiewet art. 11.7a exemption): a count per page and day, no
-- address, no identifier. `visitors` counts only views by visitors who allowed analytical
-- cookies and had not been counted that day.
CREATE TABLE page_views (
    day      DATE NOT NULL,
    path     TEXT NOT NULL,
    views    BIGINT NOT NULL,
    visitors BIGINT NOT NULL,
    PRIMARY KEY (day, path)
);
