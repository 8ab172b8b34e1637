-- Durable jobs: work for later (a change at the provider), written in the same transaction as the
-- local change that caused it. Claimed with a lease, so a crashed worker's job is taken up again;
-- `idempotency_key` goes with every attempt, so the provider applies it once. After
-- `max_attempts` a job is parked as dead with its last error, until staff retry it.
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    payload         TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    max_attempts    INTEGER NOT NULL CHECK (max_attempts >= 1),
    created_at      TEXT    NOT NULL,
    next_attempt_at TEXT    NOT NULL,
    locked_until    TEXT,
    last_attempt_at TEXT,
    last_error      TEXT,
    finished_at     TEXT,
    CONSTRAINT jobs_idempotency_key UNIQUE (idempotency_key)
) STRICT;

CREATE INDEX jobs_due ON jobs (status, next_attempt_at);
