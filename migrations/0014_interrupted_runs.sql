-- kos:rebuilds-tables
-- Runs cut off by a dead process, and tasks put back because their model
-- server failed rather than the task, are recorded as such. Runs after the
-- rebuild of tasks that allows the error type 'interrupted' (it copies the
-- columns it knows, so the column added here must come after it).
-- * interrupted_count: at how many consecutive crashes of the app the task
--   was running. A task interrupted before is claimed after the others of its
--   priority, so one that brings the process down is not the first thing the
--   next start runs; at three it goes to manual review as a suspected poison task.
-- * event kinds 'interrupted' (a run cut off by a crash, no attempt counted)
--   and 'waiting' (put back without an attempt: the backend failed, not the
--   task). SQLite cannot alter a CHECK, so task_events is copied.
ALTER TABLE tasks ADD COLUMN interrupted_count INTEGER NOT NULL DEFAULT 0;
DROP INDEX tasks_claimable;
CREATE INDEX tasks_claimable ON tasks (priority_rank DESC, interrupted_count, created_at, id, status, attempt_count) WHERE status IN ('pending', 'failed');
-- The few tasks that were running at a crash, read at each start.
CREATE INDEX tasks_interrupted ON tasks (interrupted_count) WHERE interrupted_count > 0;

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
INSERT INTO task_events_rebuilt (seq, task_id, kind, status, attempt, message, error_type, at)
SELECT seq, task_id, kind, status, attempt, message, error_type, at FROM task_events;
DROP TABLE task_events;
ALTER TABLE task_events_rebuilt RENAME TO task_events;
CREATE INDEX task_events_task ON task_events (task_id, seq);
-- Only manual-review events are counted by kind; a partial index keeps every other insert cheap.
CREATE INDEX task_events_deferred ON task_events (error_type) WHERE kind = 'deferred';
