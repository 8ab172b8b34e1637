-- Durable jobs: work for later (a change at the provider), written in the same transaction as the
-- local change that caused it. Claimed with a lease, so a crashed worker's job is taken up again;
-- `idempotency_key` goes with every attempt, so the provider applies it once. After
-- `max_attempts` a job is parked as dead with its last error, until staff retry it.
CREATE TABLE jobs (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT        NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    payload         TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('queued', 'done', 'dead')),
    attempts        BIGINT      NOT NULL DEFAULT 0,
    max_attempts    BIGINT      NOT NULL CHECK (max_attempts >= 1),
    created_at      TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_until    TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ,
    last_error      TEXT,
    finished_at     TIMESTAMPTZ,
    CONSTRAINT jobs_idempotency_key UNIQUE (idempotency_key)
);

CREATE INDEX jobs_due ON jobs (status, next_attempt_at);
