-- Deleting an account (Art. 17 GDPR). The account is deactivated at once and erased after a
-- cool-off; `erasures` says where each erasure stands. `account_id`, `provider_subscriber` and
-- `notify_email` are kept only while needed and cleared then, so a finished erasure is a
-- tombstone without personal data: that it happened, when, and per system with what result.
ALTER TABLE accounts ADD COLUMN deactivated_at TIMESTAMPTZ;

CREATE TABLE erasures (
    id                  TEXT PRIMARY KEY,
    status_token_hash   TEXT NOT NULL UNIQUE CHECK (length(status_token_hash) = 64),
    account_id          TEXT,
    request_id          BIGINT REFERENCES rights_requests (id) ON DELETE SET NULL,
    job_id              BIGINT,
    provider_subscriber TEXT,
    notify_email        TEXT,
    language            TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    status              TEXT NOT NULL
        CHECK (status IN ('scheduled', 'running', 'complete', 'cancelled')),
    requested_at        TIMESTAMPTZ NOT NULL,
    erase_after         TIMESTAMPTZ NOT NULL,
    started_at          TIMESTAMPTZ,
    completed_at        TIMESTAMPTZ,
    cancelled_at        TIMESTAMPTZ
);
CREATE UNIQUE INDEX erasures_one_pending ON erasures (account_id)
    WHERE status IN ('scheduled', 'running');

-- Each system's part: the portal's own data, the directory listing and the data at the
-- provider, the recipients told (Art. 19) and the holder's confirmation. `since` is when the
-- step reached its state; `detail` says why it failed, without personal data.
CREATE TABLE erasure_steps (
    erasure_id TEXT NOT NULL REFERENCES erasures (id) ON DELETE CASCADE,
    system     TEXT NOT NULL
        CHECK (system IN ('portal', 'directory', 'provider', 'recipients', 'confirmation')),
    state      TEXT NOT NULL CHECK (state IN ('waiting', 'pending', 'done', 'failed', 'not-needed')),
    since      TIMESTAMPTZ NOT NULL,
    detail     TEXT,
    PRIMARY KEY (erasure_id, system)
);

-- The mails an erasure sends: one per recipient of the data (a supplier) and the holder's
-- confirmation; told when the mail is handed to the mail server.
CREATE TABLE erasure_notices (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    erasure_id TEXT NOT NULL REFERENCES erasures (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('recipient', 'holder')),
    recipient  TEXT NOT NULL,
    mail_id    BIGINT NOT NULL,
    told_at    TIMESTAMPTZ
);
CREATE INDEX erasure_notices_erasure ON erasure_notices (erasure_id, id);
CREATE INDEX erasure_notices_mail ON erasure_notices (mail_id);

-- Invoices outlive the account (fiscal retention): the erasure detaches them.
ALTER TABLE invoices ALTER COLUMN account_id DROP NOT NULL;
