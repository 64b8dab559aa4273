-- The autonomous task queue. One row per task; its history is the append-only
-- task_events table, written in the same transaction as every state change.
CREATE TABLE tasks (
  id                TEXT PRIMARY KEY,
  title             TEXT NOT NULL,
  description       TEXT NOT NULL,
  domain            TEXT,
  priority          TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  -- 0 low … 3 urgent, so the claim query orders on an integer index.
  priority_rank     INTEGER NOT NULL,
  assignee_expert   TEXT,
  parent_task_id    TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  preferred_backend TEXT,
  preferred_model   TEXT,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed', 'failed', 'deferred_to_human', 'cancelled')),
  attempt_count     INTEGER NOT NULL DEFAULT 0,
  next_retry_after  TEXT,
  last_error        TEXT,
  error_type        TEXT CHECK (error_type IS NULL OR error_type IN ('timeout', 'empty_or_short_response', 'validation_failed', 'connection_error', 'oom_or_metal', 'other')),
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

-- 'failed' is a failed attempt waiting for its retry time; both are claimable.
CREATE INDEX tasks_claimable ON tasks (priority_rank DESC, created_at, id) WHERE status IN ('pending', 'failed');
CREATE INDEX tasks_status ON tasks (status, updated_at);
CREATE INDEX tasks_dedup ON tasks (dedup_key, created_at);
CREATE INDEX tasks_parent ON tasks (parent_task_id) WHERE parent_task_id IS NOT NULL;

CREATE TABLE task_events (
  seq        INTEGER PRIMARY KEY,
  task_id    TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('created', 'claimed', 'progress', 'completed', 'failed', 'deferred', 'requeued', 'cancelled')),
  status     TEXT NOT NULL,
  attempt    INTEGER NOT NULL,
  message    TEXT,
  error_type TEXT,
  at         TEXT NOT NULL
) STRICT;

CREATE INDEX task_events_task ON task_events (task_id, seq);
-- Only manual-review events are counted by kind; a partial index keeps every other insert cheap.
CREATE INDEX task_events_deferred ON task_events (error_type) WHERE kind = 'deferred';
CREATE INDEX tasks_completed ON tasks (completed_at) WHERE completed_at IS NOT NULL;
