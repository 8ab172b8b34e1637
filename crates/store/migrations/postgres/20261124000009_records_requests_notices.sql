-- The holder's records kept here besides the account: messages sent through the contact form,
-- quote requests ("offerte-aanvragen") with the supplier each was shared with, and invoices.
-- Invoices have no cascade: the law keeps them beyond the account (the erasure workflow decides).
CREATE TABLE contact_messages (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    subject     TEXT NOT NULL,
    message     TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_messages_account ON contact_messages (account_id, id);

CREATE TABLE quote_requests (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service        TEXT NOT NULL,
    details        TEXT NOT NULL,
    requested_at   TIMESTAMPTZ NOT NULL,
    supplier_name  TEXT,
    supplier_email TEXT,
    shared_at      TIMESTAMPTZ,
    CHECK ((supplier_name IS NULL) = (shared_at IS NULL))
);
CREATE INDEX quote_requests_account ON quote_requests (account_id, id);

CREATE TABLE invoices (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    number       TEXT NOT NULL UNIQUE,
    description  TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    issued_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX invoices_account ON invoices (account_id, id);

-- Requests to exercise a right that need a person (a correction with a statement, a
-- restriction, an objection), and those that settle themselves (an objection to direct
-- marketing). Kept after the account closes, as the retention matrix says, without the link.
CREATE TABLE rights_requests (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
    category    TEXT,
    details     TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    closed_at   TIMESTAMPTZ
);
CREATE INDEX rights_requests_account ON rights_requests (account_id, id);

-- Art. 19 GDPR: each recipient told of a correction (or to be told once staff have made the
-- correction a request asks for). Told when its mail was handed to the mail server, when the
-- provider confirmed its job, or when staff mark it.
CREATE TABLE recipient_notices (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    correction_id BIGINT REFERENCES corrections (id) ON DELETE CASCADE,
    request_id    BIGINT REFERENCES rights_requests (id) ON DELETE CASCADE,
    recipient     TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('mail', 'provider', 'staff')),
    mail_id       BIGINT,
    job_id        BIGINT,
    created_at    TIMESTAMPTZ NOT NULL,
    told_at       TIMESTAMPTZ,
    CHECK ((correction_id IS NULL) <> (request_id IS NULL))
);
CREATE INDEX recipient_notices_account ON recipient_notices (account_id, id);
CREATE INDEX recipient_notices_mail ON recipient_notices (mail_id) WHERE mail_id IS NOT NULL;
CREATE INDEX recipient_notices_job ON recipient_notices (job_id) WHERE job_id IS NOT NULL;

-- Art. 21(2)-(3) GDPR: when the holder objected to direct marketing (NULL: no objection).
ALTER TABLE accounts ADD COLUMN marketing_objection_at TIMESTAMPTZ;
