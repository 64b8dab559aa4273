-- What the supervisor and the router did that the task tables do not keep: model-server restarts
-- and opened circuits, with their causes, for the digest ("since you were last here").
-- at: integer milliseconds, as in the task tables.
CREATE TABLE system_events (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  kind    TEXT NOT NULL CHECK (kind = 'restart' OR kind = 'circuit_open'),
  subject TEXT NOT NULL,
  cause   TEXT
) STRICT;

CREATE INDEX system_events_at ON system_events (at);
