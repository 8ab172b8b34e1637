-- Failed sign-ins, counted per account and per client address so limits hold across instances.
-- Neither the e-mail address nor the IP address is stored: only SHA-256 keys of them.
CREATE TABLE sign_in_failures (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key TEXT NOT NULL CHECK (length(account_key) = 64),
    client_key  TEXT NOT NULL CHECK (length(client_key) = 64),
    failed_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX sign_in_failures_account ON sign_in_failures (account_key, failed_at);
CREATE INDEX sign_in_failures_client ON sign_in_failures (client_key, failed_at);
