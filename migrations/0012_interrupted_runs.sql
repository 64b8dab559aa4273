-- kos:rebuilds-tables
-- Runs cut off by a dead process and tasks put back because their model
-- server failed (not the task) are recorded as such (SQLite cannot alter a
-- CHECK, so the rows are copied):
-- * error type 'interrupted' (the process died while the task ran) and
--   'backend_unavailable' (the backend failed every request; no attempt counted);
-- * event kinds 'interrupted' and 'waiting' (back to pending without an attempt);
-- * interrupted_count: at how many consecutive crashes the task was in flight.
--   A task interrupted before is claimed after the others of its priority, so
--   one that brings the process down is not the first thing the next start
--   runs; at three it goes to manual review as a suspected poison task.
CREATE TABLE tasks_rebuilt (
  id                TEXT PRIMARY KEY,
  title             TEXT NOT NULL,
  description       TEXT NOT NULL,
  domain            TEXT,
  priority          TEXT NOT NULL CHECK (priority = 'low' OR priority = 'normal' OR priority = 'high' OR priority = 'urgent'),
  -- 0 low … 3 urgent, so the claim query orders on an integer index.
  priority_rank     INTEGER NOT NULL,
  assignee_expert   TEXT,
  parent_task_id    TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  preferred_backend TEXT,
  preferred_model   TEXT,
  status            TEXT NOT NULL CHECK (status = 'pending' OR status = 'in_progress' OR status = 'completed' OR status = 'failed' OR status = 'deferred_to_human' OR status = 'cancelled'),
  attempt_count     INTEGER NOT NULL DEFAULT 0,
  interrupted_count INTEGER NOT NULL DEFAULT 0,
  next_retry_after  INTEGER,
  last_error        TEXT,
  error_type        TEXT CHECK (error_type IS NULL OR error_type = 'timeout' OR error_type = 'empty_or_short_response' OR error_type = 'validation_failed' OR error_type = 'connection_error' OR error_type = 'oom_or_metal' OR error_type = 'other' OR error_type = 'interrupted' OR error_type = 'backend_unavailable'),
  lease_owner       TEXT,
  -- Unique per claim: a result is accepted only while the task still holds the lease it ran under.
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

CREATE TABLE task_events_rebuilt (
  seq        INTEGER PRIMARY KEY,
  task_id    TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind = 'created' OR kind = 'claimed' OR kind = 'progress' OR kind = 'completed' OR kind = 'failed' OR kind = 'deferred' OR kind = 'requeued' OR kind = 'cancelled' OR kind = 'interrupted' OR kind = 'waiting'),
  status     TEXT NOT NULL,
  attempt    INTEGER NOT NULL,
  message    TEXT,
  error_type TEXT,
  at         INTEGER NOT NULL
) STRICT;

INSERT INTO tasks_rebuilt
SELECT id, title, description, domain, priority, priority_rank, assignee_expert, parent_task_id, preferred_backend, preferred_model,
  status, attempt_count, 0, next_retry_after, last_error, error_type, lease_owner, lease_token, heartbeat_at, backend, model,
  claimed_at, latency_ms, result, metadata, batch_group, dedup_key, created_at, updated_at, completed_at
FROM tasks;
INSERT INTO task_events_rebuilt SELECT seq, task_id, kind, status, attempt, message, error_type, at FROM task_events;
DROP TABLE task_events;
DROP TABLE tasks;
ALTER TABLE tasks_rebuilt RENAME TO tasks;
ALTER TABLE task_events_rebuilt RENAME TO task_events;

CREATE INDEX tasks_dedup ON tasks (dedup_key, created_at);
CREATE INDEX tasks_parent ON tasks (parent_task_id) WHERE parent_task_id IS NOT NULL;
CREATE INDEX task_events_task ON task_events (task_id, seq);
CREATE INDEX task_events_deferred ON task_events (error_type) WHERE kind = 'deferred';
CREATE INDEX tasks_running ON tasks (heartbeat_at) WHERE status = 'in_progress';
CREATE INDEX tasks_deferred ON tasks (updated_at) WHERE status = 'deferred_to_human';
CREATE INDEX tasks_cancelled ON tasks (updated_at) WHERE status = 'cancelled';
-- Tasks interrupted by a crash come after the others of their priority.
CREATE INDEX tasks_claimable ON tasks (priority_rank DESC, interrupted_count, created_at, id, status, attempt_count) WHERE status IN ('pending', 'failed');
-- The few tasks that were in flight at a crash, read at each start.
CREATE INDEX tasks_interrupted ON tasks (interrupted_count) WHERE interrupted_count > 0;
CREATE INDEX tasks_created ON tasks (created_at DESC, id);
CREATE INDEX tasks_expert ON tasks (assignee_expert) WHERE assignee_expert IS NOT NULL;
CREATE INDEX tasks_domain ON tasks (domain) WHERE domain IS NOT NULL;
CREATE INDEX tasks_completed ON tasks (completed_at, backend, model, latency_ms) WHERE completed_at IS NOT NULL;
