-- A node's summary (what a search lists for each hit) read from one index
-- page instead of the id's index and then the row: the row holds the whole
-- document before the summary's columns, so for a document longer than a
-- page SQLite also walked its overflow pages to reach them. At a million
-- chunks the fused top 10's summaries were ~19 random page reads a query,
-- each a disk read once the kernel has reclaimed the file (bench/kb.ts).
CREATE INDEX knowledge_nodes_summary ON knowledge_nodes (
  id, title, domain, source, confidence_score, usage_count, chars, created_at, updated_at, chunk_count
);

-- FTS5 merges its segments as chunks are written once 8 of one level are
-- there, not 4: half the merging during an import (text ingest 1.16x at
-- 100,000 chunks, measured interleaved), and the segments left over are
-- merged into one in the background (knowledge/fts-merge.ts). The number
-- is FTS_AUTOMERGE in knowledge/full-text-index.ts, which sets it again if
-- it recreates the index.
INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rank) VALUES ('automerge', 8);
