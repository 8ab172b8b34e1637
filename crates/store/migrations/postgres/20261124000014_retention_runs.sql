-- One row per run of the retention purge: the scheduled time it ran for, when it ran, and how
-- many items of each category of the retention matrix it deleted (counts only, no personal
-- data). `slot` is unique, so a slot's purge is carried out and recorded once however many
-- instances saw the time come.
CREATE TABLE retention_runs (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slot        TEXT NOT NULL UNIQUE,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    counts      TEXT NOT NULL
);

CREATE INDEX jobs_finished ON jobs (status, finished_at);
CREATE INDEX consent_records_recorded ON consent_records (recorded_at);
