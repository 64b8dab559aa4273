-- The knowledge base. Documents (nodes) are cut into chunks; chunks are
-- searched by full text (FTS5 below) and by meaning (one vector table per
-- embedding collection, knowledge_vec_<id>, created at run time because its
-- dimension is only known once a model has answered; see vector-index.ts).
CREATE TABLE knowledge_nodes (
  id               TEXT PRIMARY KEY,
  title            TEXT NOT NULL,
  content          TEXT NOT NULL,
  domain           TEXT,
  source           TEXT,
  content_hash     TEXT NOT NULL,
  confidence_score REAL NOT NULL DEFAULT 0.5 CHECK (confidence_score BETWEEN 0 AND 1),
  usage_count      INTEGER NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX knowledge_nodes_domain ON knowledge_nodes (domain);
CREATE INDEX knowledge_nodes_source ON knowledge_nodes (source);
CREATE INDEX knowledge_nodes_updated ON knowledge_nodes (updated_at);

CREATE TABLE knowledge_chunks (
  id          INTEGER PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES knowledge_nodes (id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL CHECK (ordinal >= 0),
  text        TEXT NOT NULL,
  token_count INTEGER NOT NULL CHECK (token_count >= 0),
  UNIQUE (node_id, ordinal)
) STRICT;

-- unicode61 folds case for Cyrillic as for Latin, and remove_diacritics 2
-- makes ё match е; porter stems English words and passes Cyrillic ones
-- through untouched. Russian endings are met at query time with prefix terms
-- (see fts-query.ts) rather than a trigram index three times the size whose
-- BM25 ranks short words poorly.
CREATE VIRTUAL TABLE knowledge_chunks_fts USING fts5 (
  text,
  content = 'knowledge_chunks',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER knowledge_chunks_fts_insert AFTER INSERT ON knowledge_chunks BEGIN
  INSERT INTO knowledge_chunks_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER knowledge_chunks_fts_delete AFTER DELETE ON knowledge_chunks BEGIN
  INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER knowledge_chunks_fts_update AFTER UPDATE OF text ON knowledge_chunks BEGIN
  INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO knowledge_chunks_fts (rowid, text) VALUES (new.id, new.text);
END;

-- One row per embedding model the base has been embedded with. At most one is
-- active (searched) and at most one is building (a re-embed under way); a
-- collection's vectors all have its dimension, so models never mix.
CREATE TABLE knowledge_collections (
  id         INTEGER PRIMARY KEY,
  model_id   TEXT NOT NULL,
  dimension  INTEGER NOT NULL CHECK (dimension > 0),
  state      TEXT NOT NULL CHECK (state IN ('active', 'building')),
  vec_table  TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX knowledge_collections_one_per_state ON knowledge_collections (state);

-- Answers given before, keyed by the hash of the normalized prompt.
CREATE TABLE response_cache (
  key        TEXT PRIMARY KEY,
  prompt     TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX response_cache_expires ON response_cache (expires_at);
