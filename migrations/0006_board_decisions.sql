-- Decisions of the board of directors, with every member's position and vote.
CREATE TABLE board_decisions (
  id             TEXT PRIMARY KEY,
  question       TEXT NOT NULL,
  decision       TEXT NOT NULL,
  rationale      TEXT NOT NULL,
  risks          TEXT NOT NULL,
  positions      TEXT NOT NULL,
  votes          TEXT NOT NULL,
  outcome        TEXT NOT NULL CHECK (outcome IN ('approved', 'rejected', 'split')),
  chair_name     TEXT NOT NULL,
  session_id     TEXT,
  message_id     TEXT,
  task_id        TEXT,
  user_id        TEXT NOT NULL,
  source         TEXT NOT NULL CHECK (source IN ('chat', 'task', 'manual')),
  correlation_id TEXT NOT NULL,
  created_at     TEXT NOT NULL
) STRICT;

CREATE INDEX board_decisions_created ON board_decisions (created_at);
CREATE INDEX board_decisions_session ON board_decisions (session_id);
