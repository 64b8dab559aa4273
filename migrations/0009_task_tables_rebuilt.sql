-- kos:rebuilds-tables
-- The same tables, columns and indexes, rebuilt for the task queue's hot path
-- (SQLite cannot alter a column's type or a CHECK, so the rows are copied):
-- * each CHECK that listed allowed values is a chain of comparisons: SQLite
--   builds a temporary b-tree for an IN list of more than two values every
--   time a statement runs, which cost the per-row claims, completions and
--   event inserts a fifth of their time;
-- * times are integer milliseconds since the epoch instead of ISO 8601 text:
--   rows and index entries are smaller and compare as integers. The app gives
--   them out as ISO 8601 UTC, as before.
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
  next_retry_after  INTEGER,
  last_error        TEXT,
  error_type        TEXT CHECK (error_type IS NULL OR error_type = 'timeout' OR error_type = 'empty_or_short_response' OR error_type = 'validation_failed' OR error_type = 'connection_error' OR error_type = 'oom_or_metal' OR error_type = 'other'),
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
  kind       TEXT NOT NULL CHECK (kind = 'created' OR kind = 'claimed' OR kind = 'progress' OR kind = 'completed' OR kind = 'failed' OR kind = 'deferred' OR kind = 'requeued' OR kind = 'cancelled'),
  status     TEXT NOT NULL,
  attempt    INTEGER NOT NULL,
  message    TEXT,
  error_type TEXT,
  at         INTEGER NOT NULL
) STRICT;

-- unixepoch(…, 'subsec') reads the ISO 8601 text the app wrote; NULL stays NULL.
INSERT INTO tasks_rebuilt
SELECT id, title, description, domain, priority, priority_rank, assignee_expert, parent_task_id, preferred_backend, preferred_model,
  status, attempt_count, CAST(round(unixepoch(next_retry_after, 'subsec') * 1000) AS INTEGER), last_error, error_type, lease_owner,
  lease_token, CAST(round(unixepoch(heartbeat_at, 'subsec') * 1000) AS INTEGER), backend, model,
  CAST(round(unixepoch(claimed_at, 'subsec') * 1000) AS INTEGER), latency_ms, result, metadata, batch_group, dedup_key,
  CAST(round(unixepoch(created_at, 'subsec') * 1000) AS INTEGER), CAST(round(unixepoch(updated_at, 'subsec') * 1000) AS INTEGER),
  CAST(round(unixepoch(completed_at, 'subsec') * 1000) AS INTEGER)
FROM tasks;
INSERT INTO task_events_rebuilt
SELECT seq, task_id, kind, status, attempt, message, error_type, CAST(round(unixepoch(at, 'subsec') * 1000) AS INTEGER) FROM task_events;
DROP TABLE task_events;
DROP TABLE tasks;
ALTER TABLE tasks_rebuilt RENAME TO tasks;
ALTER TABLE task_events_rebuilt RENAME TO task_events;

-- 'failed' is a failed attempt waiting for its retry time; both are claimable.
CREATE INDEX tasks_claimable ON tasks (priority_rank DESC, created_at, id) WHERE status IN ('pending', 'failed');
CREATE INDEX tasks_status ON tasks (status, updated_at);
CREATE INDEX tasks_dedup ON tasks (dedup_key, created_at);
CREATE INDEX tasks_parent ON tasks (parent_task_id) WHERE parent_task_id IS NOT NULL;
CREATE INDEX task_events_task ON task_events (task_id, seq);
-- Only manual-review events are counted by kind; a partial index keeps every other insert cheap.
CREATE INDEX task_events_deferred ON task_events (error_type) WHERE kind = 'deferred';
CREATE INDEX tasks_completed ON tasks (completed_at) WHERE completed_at IS NOT NULL;
