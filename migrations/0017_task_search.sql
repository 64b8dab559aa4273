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

-- Tasks per expert and per domain, kept like 0013's counts by status: the
-- total of a list filtered by one of them counted a quarter of a million
-- index entries at 1,000,000 tasks (65–84 ms), and now reads one row.
CREATE TABLE task_expert_counts (
  expert TEXT PRIMARY KEY,
  n      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE task_domain_counts (
  domain TEXT PRIMARY KEY,
  n      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO task_expert_counts (expert, n)
SELECT assignee_expert, COUNT(*) FROM tasks WHERE assignee_expert IS NOT NULL GROUP BY assignee_expert;
INSERT INTO task_domain_counts (domain, n)
SELECT domain, COUNT(*) FROM tasks WHERE domain IS NOT NULL GROUP BY domain;

CREATE TRIGGER task_facet_counts_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO task_expert_counts (expert, n) SELECT new.assignee_expert, 1 WHERE new.assignee_expert IS NOT NULL
    ON CONFLICT (expert) DO UPDATE SET n = n + 1;
  INSERT INTO task_domain_counts (domain, n) SELECT new.domain, 1 WHERE new.domain IS NOT NULL
    ON CONFLICT (domain) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER task_facet_counts_delete AFTER DELETE ON tasks BEGIN
  UPDATE task_expert_counts SET n = n - 1 WHERE expert = old.assignee_expert;
  UPDATE task_domain_counts SET n = n - 1 WHERE domain = old.domain;
END;

-- Neither changes once a task is created; should one ever, the counts follow.
CREATE TRIGGER task_facet_counts_update AFTER UPDATE OF assignee_expert, domain ON tasks BEGIN
  UPDATE task_expert_counts SET n = n - 1 WHERE expert = old.assignee_expert;
  UPDATE task_domain_counts SET n = n - 1 WHERE domain = old.domain;
  INSERT INTO task_expert_counts (expert, n) SELECT new.assignee_expert, 1 WHERE new.assignee_expert IS NOT NULL
    ON CONFLICT (expert) DO UPDATE SET n = n + 1;
  INSERT INTO task_domain_counts (domain, n) SELECT new.domain, 1 WHERE new.domain IS NOT NULL
    ON CONFLICT (domain) DO UPDATE SET n = n + 1;
END;
