-- This project's addition: person rows are written idempotently by uuid (INSERT ... ON CONFLICT
-- (uuid)), so that a restore from a checkpoint replays into the same rows. Additive only.
CREATE UNIQUE INDEX IF NOT EXISTS posthog_person_uuid_unique_flink ON posthog_person (uuid);
