-- Knowledge searches that found nothing: a gap the learning generator turns into research tasks.
-- One row per query (trimmed, lower-cased, whitespace folded) and domain filter ('' for none);
-- at: integer milliseconds, as in the task tables.
CREATE TABLE search_misses (
  query_key TEXT NOT NULL,
  domain    TEXT NOT NULL,
  query     TEXT NOT NULL,
  misses    INTEGER NOT NULL,
  first_at  INTEGER NOT NULL,
  last_at   INTEGER NOT NULL,
  PRIMARY KEY (query_key, domain)
) STRICT;

CREATE INDEX search_misses_last_at ON search_misses (last_at);
