-- What a person must allow before a step goes on (financial, destructive, external actions), one row a
-- request; a request for the same run and step (or the same task outside a workflow) is filed once.
-- at columns: integer milliseconds, as in the task tables.
CREATE TABLE approvals (
  id             TEXT PRIMARY KEY,
  dedup_key      TEXT NOT NULL UNIQUE,
  run_id         TEXT,
  task_id        TEXT,
  step           TEXT,
  title          TEXT NOT NULL,
  reason         TEXT NOT NULL,
  correlation_id TEXT,
  status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by     TEXT,
  note           TEXT,
  requested_at   INTEGER NOT NULL,
  decided_at     INTEGER
) STRICT;

CREATE INDEX approvals_pending ON approvals (requested_at) WHERE status = 'pending';
CREATE INDEX approvals_decided ON approvals (decided_at) WHERE status <> 'pending';

-- Each run of a step's declared test command, and what came of it.
CREATE TABLE test_runs (
  id               INTEGER PRIMARY KEY,
  task_id          TEXT,
  run_id           TEXT,
  command          TEXT NOT NULL,
  cwd              TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'timed_out', 'could_not_start')),
  format           TEXT,
  exit_code        INTEGER,
  passed           INTEGER,
  failed           INTEGER,
  coverage_percent REAL,
  message          TEXT,
  output           TEXT NOT NULL,
  duration_ms      INTEGER NOT NULL,
  at               INTEGER NOT NULL
) STRICT;

CREATE INDEX test_runs_task ON test_runs (task_id, at);

-- The escalation ladder: a task whose attempts ran out is put to the board once per round; what the board
-- said and what was done about it. `consulting` rows are taken up again after a restart.
CREATE TABLE escalations (
  id           INTEGER PRIMARY KEY,
  task_id      TEXT NOT NULL,
  round        INTEGER NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('consulting', 'retry_other_model', 'change_approach', 'give_up', 'board_unavailable')),
  failed_model TEXT,
  next_model   TEXT,
  next_node    TEXT,
  instruction  TEXT,
  board_view   TEXT,
  decision_id  TEXT,
  created_at   INTEGER NOT NULL,
  decided_at   INTEGER,
  UNIQUE (task_id, round)
) STRICT;

CREATE INDEX escalations_consulting ON escalations (created_at) WHERE state = 'consulting';

-- Every verdict of the result validator; `unjudged` says why no validator could run (the result then counted unjudged).
CREATE TABLE validations (
  id        INTEGER PRIMARY KEY,
  task_id   TEXT,
  kind      TEXT NOT NULL,
  outcome   TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'unjudged')),
  score     REAL,
  reasons   TEXT NOT NULL,
  model     TEXT,
  at        INTEGER NOT NULL
) STRICT;

CREATE INDEX validations_task ON validations (task_id, at);
CREATE INDEX validations_at ON validations (at);
