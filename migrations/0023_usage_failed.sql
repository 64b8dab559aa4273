-- Tokens spent by a model call that gave no answer (a stream cut, a server error after its counts,
-- an echo, a cancelled run) are paid for too: such rows count in every total and are marked failed,
-- so the Usage panel and `kos usage` say how much of the load went to nothing.
ALTER TABLE model_usage ADD COLUMN failed INTEGER NOT NULL DEFAULT 0 CHECK (failed IN (0, 1));
