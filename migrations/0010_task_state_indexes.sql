-- The (status, updated_at) index moved on every claim and every completion,
-- a delete and an insert each, on the queue's hottest path. Partial indexes
-- on the states a task passes through briefly or rarely are touched only
-- when it enters or leaves them, and still answer the counters, the
-- manual-review list and the lease sweep without reading the table.
DROP INDEX tasks_status;
CREATE INDEX tasks_running ON tasks (heartbeat_at) WHERE status = 'in_progress';
CREATE INDEX tasks_deferred ON tasks (updated_at) WHERE status = 'deferred_to_human';
CREATE INDEX tasks_cancelled ON tasks (updated_at) WHERE status = 'cancelled';
-- Status and attempts ride along in the claimable index, so counting pending and failed tasks and
-- finding those out of attempts read the index alone; neither changes while a task stays claimable.
DROP INDEX tasks_claimable;
CREATE INDEX tasks_claimable ON tasks (priority_rank DESC, created_at, id, status, attempt_count) WHERE status IN ('pending', 'failed');
