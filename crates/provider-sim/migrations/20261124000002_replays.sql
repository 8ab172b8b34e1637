-- How often a key came back after its first answer (a retry the client had to make). With no
-- faults, a job runner that runs each job once sends each key once.
ALTER TABLE idempotency ADD COLUMN replays INTEGER NOT NULL DEFAULT 0;
