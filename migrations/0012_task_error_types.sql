-- kos:rebuilds-tables
-- The tasks table again, with the error types the engine now records (SQLite
-- cannot alter a CHECK, so the rows are copied, as in 0009):
-- * runner_terminated, stream_interrupted, echo, server_error: a backend's
--   failure as the evidence shows it, so "llama runner process has
--   terminated" is no longer called out-of-memory and a stream cut
--   mid-answer no longer "unreachable";
-- * interrupted: a run the process died under, which uses no attempt.
-- Columns are copied by name: a migration that adds a column to tasks must
-- run after this one.
CREATE TABLE tasks_rebuilt (
  id                TEXT PRIMARY KEY,
  title             TEXT NOT NULL,
  description       TEXT NOT NULL,
  domain            TEXT,
  priority          TEXT NOT NULL CHECK (priority = 'low' OR priority = 'normal' OR priority = 'high' OR priority = 'urgent'),
  priority_rank     INTEGER NOT NULL,
  assignee_expert   TEXT,
  parent_task_id    TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  preferred_backend TEXT,
  preferred_model   TEXT,
  status            TEXT NOT NULL CHECK (status = 'pending' OR status = 'in_progress' OR status = 'completed' OR status = 'failed' OR status = 'deferred_to_human' OR status = 'cancelled'),
  attempt_count     INTEGER NOT NULL DEFAULT 0,
  next_retry_after  INTEGER,
  last_error        TEXT,
  error_type        TEXT CHECK (error_type IS NULL OR error_type = 'timeout' OR error_type = 'empty_or_short_response' OR error_type = 'validation_failed'
                      OR error_type = 'connection_error' OR error_type = 'oom_or_metal' OR error_type = 'runner_terminated' OR error_type = 'stream_interrupted'
                      OR error_type = 'echo' OR error_type = 'server_error' OR error_type = 'interrupted' OR error_type = 'other'),
  lease_owner       TEXT,
  lease_token       TEXT,
  heartbeat_at      INTEGER,
  backend           TEXT,
  model             TEXT,
  claimed_at        INTEGER,
  latency_ms        INTEGER,
  result            TEXT,
  metadata          TEXT NOT NULL DEFAULT '{}',
  batch_group       TEXT,
  dedup_key         TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  completed_at      INTEGER,
  CHECK ((status = 'in_progress') = (lease_token IS NOT NULL))
) STRICT;

INSERT INTO tasks_rebuilt (id, title, description, domain, priority, priority_rank, assignee_expert, parent_task_id, preferred_backend, preferred_model,
  status, attempt_count, next_retry_after, last_error, error_type, lease_owner, lease_token, heartbeat_at, backend, model, claimed_at, latency_ms,
  result, metadata, batch_group, dedup_key, created_at, updated_at, completed_at)
SELECT id, title, description, domain, priority, priority_rank, assignee_expert, parent_task_id, preferred_backend, preferred_model,
  status, attempt_count, next_retry_after, last_error, error_type, lease_owner, lease_token, heartbeat_at, backend, model, claimed_at, latency_ms,
  result, metadata, batch_group, dedup_key, created_at, updated_at, completed_at
FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_rebuilt RENAME TO tasks;

-- Every index tasks had after 0011, as it was.
CREATE INDEX tasks_dedup ON tasks (dedup_key, created_at);
CREATE INDEX tasks_parent ON tasks (parent_task_id) WHERE parent_task_id IS NOT NULL;
CREATE INDEX tasks_running ON tasks (heartbeat_at) WHERE status = 'in_progress';
CREATE INDEX tasks_deferred ON tasks (updated_at) WHERE status = 'deferred_to_human';
CREATE INDEX tasks_cancelled ON tasks (updated_at) WHERE status = 'cancelled';
CREATE INDEX tasks_claimable ON tasks (priority_rank DESC, created_at, id, status, attempt_count) WHERE status IN ('pending', 'failed');
CREATE INDEX tasks_created ON tasks (created_at DESC, id);
CREATE INDEX tasks_expert ON tasks (assignee_expert) WHERE assignee_expert IS NOT NULL;
CREATE INDEX tasks_domain ON tasks (domain) WHERE domain IS NOT NULL;
CREATE INDEX tasks_completed ON tasks (completed_at, backend, model, latency_ms) WHERE completed_at IS NOT NULL;
