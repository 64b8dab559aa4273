-- A code step's files: written into a scratch copy of its working folder for
-- its tests, then into the real folder only once a person approves.
-- files: JSON [{path, bytes, sha256, baseSha256}] — baseSha256 is what the real
-- folder held at that path when the copy was made (null: no such file), so an
-- approval never overwrites a file that changed since the tests ran.
ALTER TABLE workflow_steps ADD COLUMN files TEXT NOT NULL DEFAULT '[]';

-- Whether a step's tokens are the model server's own counts (from model_usage)
-- or the 4-characters-a-token estimate; NULL for rows written before this.
ALTER TABLE workflow_steps ADD COLUMN tokens_counted TEXT CHECK (tokens_counted IN ('backend', 'estimate'));

-- Applying an accepted run's files to the real folder, through the approval queue; one per run.
CREATE TABLE workflow_applies (
  run_id      TEXT PRIMARY KEY REFERENCES workflow_runs (id) ON DELETE CASCADE,
  step_id     TEXT NOT NULL REFERENCES workflow_steps (id) ON DELETE CASCADE,
  folder      TEXT NOT NULL,
  approval_id TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'rejected', 'failed', 'cancelled')),
  message     TEXT,
  requested_at TEXT NOT NULL,
  decided_at  TEXT
) STRICT;
