-- The Tasks view's search as a full-text index over titles and descriptions:
-- the LIKE '%…%' it replaces read every task (2.8 s at 1,000,000). Words are
-- folded as src/shared/task-search.ts folds them (unicode61, accents
-- removed), with no stemming, since a search's last word is matched as a
-- prefix of the words typed so far. Keyed by the tasks table's rowid: a
-- migration that rebuilds tasks (kos:rebuilds-tables) must rebuild this
-- index and recreate these triggers, as it must 0013's.
CREATE VIRTUAL TABLE tasks_fts USING fts5 (
  title,
  description,
  content = 'tasks',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO tasks_fts (tasks_fts) VALUES ('rebuild');

CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO tasks_fts (rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;

CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
END;

-- A task's text does not change once created; should it ever, the index follows.
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF title, description ON tasks BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
  INSERT INTO tasks_fts (rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;
