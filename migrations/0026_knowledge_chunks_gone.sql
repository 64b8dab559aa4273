-- Chunks deleted, in order, so that each process's map of chunk → node in
-- memory (src/main/knowledge/chunk-nodes.ts) drops them, those deleted by
-- another process (`kos import`) too: a chunk id can be given again once
-- the chunks above it are gone, and a search must not name the old node.
-- AUTOINCREMENT: a sequence number is never given twice, so a reader that
-- finds the entry after its last one gone (trimmed below) knows to reload.
CREATE TABLE knowledge_chunks_gone (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  chunk_id INTEGER NOT NULL
) STRICT;

CREATE TRIGGER knowledge_chunks_gone_log AFTER DELETE ON knowledge_chunks BEGIN
  INSERT INTO knowledge_chunks_gone (chunk_id) VALUES (old.id);
END;

-- The log keeps the last 100,000 deletions (~2 MB); every 10,000th entry
-- trims what is older. A process further behind reloads its map.
CREATE TRIGGER knowledge_chunks_gone_trim AFTER INSERT ON knowledge_chunks_gone WHEN new.seq % 10000 = 0 BEGIN
  DELETE FROM knowledge_chunks_gone WHERE seq <= new.seq - 100000;
END;
