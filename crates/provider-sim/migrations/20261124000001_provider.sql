-- What the stand-in provider holds: records per subscriber, the answers it gave per
-- idempotency key (and how many times each key's effect was applied), and long operations.
CREATE TABLE records (
    id            TEXT PRIMARY KEY,
    subscriber_id TEXT NOT NULL,
    kind          TEXT NOT NULL,
    fields        TEXT NOT NULL,
    ordinal       INTEGER NOT NULL
) STRICT;

CREATE INDEX records_subscriber ON records (subscriber_id, ordinal);

CREATE TABLE idempotency (
    key    TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body   TEXT NOT NULL
) STRICT;

-- One row per applied change, kept apart from `idempotency` so a broken idempotency check would
-- show as a key counted twice.
CREATE TABLE effects (
    key TEXT NOT NULL
) STRICT;

CREATE TABLE operations (
    id     TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    error  TEXT
) STRICT;
