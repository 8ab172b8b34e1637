-- Downloads of "my data" (Arts. 15(3) and 20 GDPR): one row per export, built by a job into a
-- ZIP file named after the export's random id. While it is built, `phase` names the source being
-- read and the counts say how far; `provider_state` says what became of the provider's part.
-- At most one export per account is being built at a time.
CREATE TABLE exports (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    request_id      BIGINT REFERENCES rights_requests (id) ON DELETE SET NULL,
    language        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('building', 'ready', 'expired')),
    provider_state  TEXT NOT NULL
        CHECK (provider_state IN ('waiting', 'complete', 'pending', 'failed', 'not-held')),
    provider_reason TEXT,
    phase           TEXT,
    sources_done    BIGINT NOT NULL DEFAULT 0,
    sources_total   BIGINT NOT NULL DEFAULT 0,
    items_done      BIGINT NOT NULL DEFAULT 0,
    size_bytes      BIGINT,
    requested_at    TIMESTAMPTZ NOT NULL,
    ready_at        TIMESTAMPTZ,
    completed_at    TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ
);
CREATE INDEX exports_account ON exports (account_id, requested_at);
CREATE UNIQUE INDEX exports_one_building ON exports (account_id) WHERE status = 'building';
