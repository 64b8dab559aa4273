-- One ledger of every model call's tokens: the chat's and the board's (chat_usage until now) and,
-- new, the task runs' and the workflows', for usage by day, expert, model, node and project.
-- chat_usage's CHECK on purpose cannot take a task's call, so its rows move here and it goes.
-- counted: 'backend' when the model server reported its own counts, 'estimate' when none came;
-- NULL for rows moved from chat_usage, which did not record it.
CREATE TABLE model_usage (
  id             INTEGER PRIMARY KEY,
  correlation_id TEXT NOT NULL,
  source         TEXT NOT NULL CHECK (source IN ('chat', 'board', 'task', 'workflow')),
  purpose        TEXT NOT NULL CHECK (purpose IN ('answer', 'classify', 'decompose', 'synthesize', 'board', 'task')),
  session_id     TEXT,
  message_id     TEXT,
  task_id        TEXT,
  expert_id      TEXT,
  project        TEXT,
  node           TEXT NOT NULL,
  model          TEXT NOT NULL,
  tokens_in      INTEGER NOT NULL,
  tokens_out     INTEGER NOT NULL,
  counted        TEXT CHECK (counted IN ('backend', 'estimate')),
  duration_ms    INTEGER NOT NULL,
  cost           REAL NOT NULL,
  fell_back      INTEGER NOT NULL,
  expert_answer  INTEGER NOT NULL,
  created_at     TEXT NOT NULL
) STRICT;

INSERT INTO model_usage
  (correlation_id, source, purpose, session_id, message_id, expert_id, node, model, tokens_in, tokens_out,
   duration_ms, cost, fell_back, expert_answer, created_at)
SELECT correlation_id, CASE purpose WHEN 'board' THEN 'board' ELSE 'chat' END, purpose, session_id, message_id,
       expert_id, node, model, tokens_in, tokens_out, duration_ms, cost, fell_back, expert_answer, created_at
FROM chat_usage;

DROP TABLE chat_usage;

CREATE INDEX model_usage_created ON model_usage (created_at);
CREATE INDEX model_usage_task ON model_usage (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX model_usage_correlation ON model_usage (correlation_id);

-- A budget alert is sent once per period; the row says it was, so a restart does not send it again.
CREATE TABLE usage_budget_alerts (
  period   TEXT PRIMARY KEY,
  tokens   INTEGER NOT NULL,
  budget   INTEGER NOT NULL,
  sent_at  TEXT NOT NULL
) STRICT;
