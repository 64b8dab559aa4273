-- kos:rebuilds-tables
-- The same tables, columns and indexes as before, with each CHECK that listed
-- allowed values written as a chain of comparisons. SQLite evaluates a CHECK
-- with an IN list of more than two values by building a temporary b-tree for
-- the list every time a statement runs: on the task queue's per-row claims,
-- completions and event inserts that cost a quarter of all the time spent.
-- SQLite cannot alter a CHECK, so both tables are rebuilt and their rows copied.
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
  next_retry_after  TEXT,
  last_error        TEXT,
  error_type        TEXT CHECK (error_type IS NULL OR error_type = 'timeout' OR error_type = 'empty_or_short_response' OR error_type = 'validation_failed' OR error_type = 'connection_error' OR error_type = 'oom_or_metal' OR error_type = 'other'),
  lease_owner       TEXT,
  -- Unique per claim: a result is accepted only while the task still holds the lease it ran under.
  lease_token       TEXT,
  heartbeat_at      TEXT,
  backend           TEXT,
  model             TEXT,
  claimed_at        TEXT,
  latency_ms        INTEGER,
  result            TEXT,
  metadata          TEXT NOT NULL DEFAULT '{}',
  batch_group       TEXT,
  dedup_key         TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  completed_at      TEXT,
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
  at         TEXT NOT NULL
) STRICT;

INSERT INTO tasks_rebuilt SELECT * FROM tasks;
INSERT INTO task_events_rebuilt SELECT * FROM task_events;
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
