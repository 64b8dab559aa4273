-- Russian words are also indexed by their Snowball stems, computed by the app
-- (knowledge/russian-stem.ts) into knowledge_chunks.stems, because FTS5's
-- porter tokenizer stems English only. A query looks a Russian word up as
-- itself and as `stems : "<stem>"`, so "базой" finds "базы" and not
-- "базар" (measured against the old prefix lookup in bench/kb.ts).
ALTER TABLE knowledge_chunks ADD COLUMN stems TEXT NOT NULL DEFAULT '';

DROP TRIGGER knowledge_chunks_fts_insert;
DROP TRIGGER knowledge_chunks_fts_delete;
DROP TRIGGER knowledge_chunks_fts_update;
DROP TABLE knowledge_chunks_fts;

CREATE VIRTUAL TABLE knowledge_chunks_fts USING fts5 (
  text,
  stems,
  content = 'knowledge_chunks',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER knowledge_chunks_fts_insert AFTER INSERT ON knowledge_chunks BEGIN
  INSERT INTO knowledge_chunks_fts (rowid, text, stems) VALUES (new.id, new.text, new.stems);
END;
CREATE TRIGGER knowledge_chunks_fts_delete AFTER DELETE ON knowledge_chunks BEGIN
  INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rowid, text, stems) VALUES ('delete', old.id, old.text, old.stems);
END;
CREATE TRIGGER knowledge_chunks_fts_update AFTER UPDATE OF text, stems ON knowledge_chunks BEGIN
  INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rowid, text, stems) VALUES ('delete', old.id, old.text, old.stems);
  INSERT INTO knowledge_chunks_fts (rowid, text, stems) VALUES (new.id, new.text, new.stems);
END;

INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts) VALUES ('rebuild');

-- Chunks stored before this migration get their stems in the background, in
-- id order from here; the row goes when every one has them.
CREATE TABLE knowledge_stems_backfill (next_id INTEGER NOT NULL) STRICT;
INSERT INTO knowledge_stems_backfill (next_id) SELECT 0 WHERE EXISTS (SELECT 1 FROM knowledge_chunks);
