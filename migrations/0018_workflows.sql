-- Workflow runs: each is a chain of tasks (parent_task_id, and the run id in
-- each task's metadata); these tables hold what the tasks do not: the
-- definition the run started with, each step's package and problems, and
-- the decision log.
CREATE TABLE workflow_runs (
  id             TEXT PRIMARY KEY,
  workflow_id    TEXT NOT NULL,
  definition     TEXT NOT NULL,
  title          TEXT NOT NULL,
  input          TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('running', 'waiting_approval', 'completed', 'failed', 'cancelled')),
  round          INTEGER NOT NULL DEFAULT 1,
  tokens_used    INTEGER NOT NULL DEFAULT 0,
  source         TEXT NOT NULL CHECK (source IN ('form', 'chat', 'cli', 'mcp')),
  message_id     TEXT,
  error          TEXT,
  correlation_id TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

CREATE INDEX workflow_runs_created ON workflow_runs (created_at, id);
CREATE INDEX workflow_runs_active ON workflow_runs (status) WHERE status IN ('running', 'waiting_approval');

CREATE TABLE workflow_steps (
  id          TEXT PRIMARY KEY,
  run_id      TEXT NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  step        TEXT NOT NULL,
  round       INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('waiting_approval', 'running', 'sent_back', 'passed', 'blocked', 'failed', 'cancelled')),
  task_id     TEXT,
  approval_id TEXT,
  prompt      TEXT NOT NULL DEFAULT '',
  model       TEXT,
  package     TEXT,
  problems    TEXT NOT NULL DEFAULT '[]',
  tokens      INTEGER NOT NULL DEFAULT 0,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  UNIQUE (run_id, seq)
) STRICT;

CREATE INDEX workflow_steps_task ON workflow_steps (task_id);

-- Every hand-off, send-back, validation verdict, escalation, approval and
-- policy block; rows are only ever added.
CREATE TABLE decision_log (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id         TEXT,
  task_id        TEXT,
  step           TEXT,
  role           TEXT NOT NULL,
  decision       TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('handoff', 'sent_back', 'validation', 'escalation', 'approval', 'policy_block')),
  reasons        TEXT NOT NULL,
  model          TEXT,
  correlation_id TEXT,
  at             TEXT NOT NULL
) STRICT;

CREATE INDEX decision_log_run ON decision_log (run_id, seq);
CREATE INDEX decision_log_task ON decision_log (task_id);

-- Knowledge entries a run filed (the librarian's), so the run shows them.
CREATE TABLE workflow_filed (
  run_id  TEXT NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
  node_id TEXT NOT NULL,
  title   TEXT NOT NULL,
  PRIMARY KEY (run_id, node_id)
) STRICT;
