-- Chat sessions and their messages. Timestamps are ISO-8601 UTC text.
CREATE TABLE chat_sessions (
  id         TEXT PRIMARY KEY,
  title      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE chat_messages (
  id                TEXT PRIMARY KEY,
  session_id        TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
  seq               INTEGER NOT NULL,
  role              TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
  content           TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('streaming', 'complete', 'error', 'stopped')),
  error             TEXT,
  notice            TEXT,
  route             TEXT CHECK (route IN ('cache', 'simple', 'execution', 'complex', 'strategic')),
  expert_id         TEXT,
  expert_name       TEXT,
  model             TEXT,
  node              TEXT,
  latency_ms        INTEGER,
  tokens_in         INTEGER,
  tokens_out        INTEGER,
  fell_back         INTEGER NOT NULL DEFAULT 0,
  correlation_id    TEXT NOT NULL,
  board_decision_id TEXT,
  parent_task_id    TEXT,
  subtasks          TEXT NOT NULL DEFAULT '[]',
  sources           TEXT NOT NULL DEFAULT '[]',
  reply_to          TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (session_id, seq)
) STRICT;

CREATE INDEX chat_messages_correlation ON chat_messages (correlation_id);

-- One row per model call made for the chat or the board. Not tied to a
-- session by a foreign key: deleting a conversation does not undo its cost.
CREATE TABLE chat_usage (
  id             INTEGER PRIMARY KEY,
  correlation_id TEXT NOT NULL,
  session_id     TEXT,
  message_id     TEXT,
  expert_id      TEXT,
  purpose        TEXT NOT NULL CHECK (purpose IN ('answer', 'classify', 'decompose', 'synthesize', 'board')),
  node           TEXT NOT NULL,
  model          TEXT NOT NULL,
  tokens_in      INTEGER NOT NULL,
  tokens_out     INTEGER NOT NULL,
  duration_ms    INTEGER NOT NULL,
  cost           REAL NOT NULL,
  fell_back      INTEGER NOT NULL,
  expert_answer  INTEGER NOT NULL,
  created_at     TEXT NOT NULL
) STRICT;

CREATE INDEX chat_usage_created ON chat_usage (created_at);

-- The user's edits of the built-in experts; the files under resources/experts stay untouched.
CREATE TABLE chat_expert_overrides (
  id             TEXT PRIMARY KEY,
  name           TEXT,
  role           TEXT,
  domains        TEXT,
  system_prompt  TEXT,
  model_category TEXT,
  updated_at     TEXT NOT NULL
) STRICT;
