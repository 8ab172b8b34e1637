-- Which subscriber at the provider (Operator Online) an account is, when it is one; and which
-- account a job works for, so the holder can see what waits at the provider. No foreign key on
-- jobs.account_id: a job (an erasure, say) outlives the account it was for.
ALTER TABLE accounts ADD COLUMN provider_subscriber TEXT;
CREATE UNIQUE INDEX accounts_provider_subscriber ON accounts (provider_subscriber);

ALTER TABLE jobs ADD COLUMN account_id TEXT;
CREATE INDEX jobs_account ON jobs (account_id, id);
