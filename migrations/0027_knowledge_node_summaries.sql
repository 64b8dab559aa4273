-- A node's summary (what a search lists for each hit) read from one index
-- page instead of the id's index and then the row: the row holds the whole
-- document before the summary's columns, so for a document longer than a
-- page SQLite also walked its overflow pages to reach them. At a million
-- chunks the fused top 10's summaries were ~19 random page reads a query,
-- each a disk read once the kernel has reclaimed the file (bench/kb.ts).
CREATE INDEX knowledge_nodes_summary ON knowledge_nodes (
  id, title, domain, source, confidence_score, usage_count, chars, created_at, updated_at, chunk_count
);
