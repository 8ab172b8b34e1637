-- The account holder's profile. `version` goes up with every save: a form that was opened
-- before another save carries an older version and is refused, not silently applied.
CREATE TABLE profiles (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT,
    phone      TEXT,
    company    TEXT,
    job_title  TEXT,
    street     TEXT,
    postcode   TEXT,
    city       TEXT,
    country    TEXT,
    version    BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Every correction (Art. 16 GDPR): which field of which category, by whom, when — never the old
-- or the new value.
CREATE TABLE corrections (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   TEXT NOT NULL,
    category     TEXT NOT NULL,
    field        TEXT NOT NULL,
    actor        TEXT NOT NULL,
    corrected_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX corrections_account ON corrections (account_id, id);
