-- A node's size in characters and its number of chunks, kept in its row by
-- the store (knowledge/knowledge-store.ts) instead of computed on every read:
-- a search lists its top hits with both, and length(content) read the whole
-- document (every overflow page of a large one) and the count read the
-- chunks' index, for each hit, from disk when the database is not in the
-- page cache (bench/kb.ts counts the pages a query reads).
ALTER TABLE knowledge_nodes ADD COLUMN chars INTEGER NOT NULL DEFAULT 0 CHECK (chars >= 0);
ALTER TABLE knowledge_nodes ADD COLUMN chunk_count INTEGER NOT NULL DEFAULT 0 CHECK (chunk_count >= 0);
UPDATE knowledge_nodes SET
  chars = length(content),
  chunk_count = (SELECT count(*) FROM knowledge_chunks c WHERE c.node_id = knowledge_nodes.id);
