-- The counts by status (0013) were kept by a trigger on every status change.
-- On the queue's hot path that is two changes per task, its claim and its
-- completion, and each trigger run costs SQLite a sub-program with copies of
-- the old and new row: a quarter of a quick task's SQL. The task store now
-- tells every status change it makes to src/main/tasks/status-tally.ts, which
-- sums a transaction's changes and writes them once, at its end. Creates and
-- deletes keep their triggers. A migration that rebuilds tasks must not
-- recreate this one, or every status change would be counted twice.
DROP TRIGGER task_status_counts_update;
