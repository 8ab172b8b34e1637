-- Who did what to which record, and when. No personal data: actors and subjects are opaque ids.
CREATE TABLE audit_events (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor       TEXT        NOT NULL CHECK (actor IN ('system', 'customer', 'staff')),
    action      TEXT        NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    subject     TEXT                 CHECK (subject IS NULL OR length(subject) BETWEEN 1 AND 100)
);

CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at);
