-- The Tasks view at scale: with 100,000 tasks a list read 650 ms and the
-- counters 150 ms, each a scan of the whole table. These indexes are written
-- when a task is created or completed, never by a claim.
-- Newest first, as the list shows them.
CREATE INDEX tasks_created ON tasks (created_at DESC, id);
-- The filter choices: the experts and domains tasks name.
CREATE INDEX tasks_expert ON tasks (assignee_expert) WHERE assignee_expert IS NOT NULL;
CREATE INDEX tasks_domain ON tasks (domain) WHERE domain IS NOT NULL;
-- Completions per minute and latency per backend and model read this index alone.
DROP INDEX tasks_completed;
CREATE INDEX tasks_completed ON tasks (completed_at, backend, model, latency_ms) WHERE completed_at IS NOT NULL;
