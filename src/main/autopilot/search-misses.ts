import type { Db } from '../db/database'

export interface SearchMiss {
  readonly query: string
  readonly domain: string | null
  readonly misses: number
}

export interface SearchMisses {
  /** Notes a knowledge search that found nothing; the same query (case and spacing aside) and filter counts once more. */
  record(query: string, domain: string | null): void
  /** Queries missed since `sinceMs`, most recent first. */
  since(sinceMs: number, limit: number): SearchMiss[]
}

/** Long enough for any question worth researching; a pasted document is cut, not stored whole. */
const QUERY_CHARS = 300

export function searchKey(query: string): string {
  return query.replace(/\s+/g, ' ').trim().toLowerCase().slice(0, QUERY_CHARS)
}

/** Searches with no result, kept in SQLite (migration 0021) so the gap survives a restart. */
export function createSearchMisses(db: Db, now: () => number = Date.now): SearchMisses {
  const upsert = db.prepare(`INSERT INTO search_misses (query_key, domain, query, misses, first_at, last_at)
    VALUES (?, ?, ?, 1, ?, ?)
    ON CONFLICT (query_key, domain) DO UPDATE SET misses = misses + 1, query = excluded.query, last_at = excluded.last_at`)
  const select = db.prepare<[number, number], { query: string; domain: string; misses: number }>(
    'SELECT query, domain, misses FROM search_misses WHERE last_at >= ? ORDER BY last_at DESC LIMIT ?'
  )
  return {
    record(query, domain) {
      const key = searchKey(query)
      if (key === '') return
      const at = now()
      upsert.run(key, domain ?? '', query.replace(/\s+/g, ' ').trim().slice(0, QUERY_CHARS), at, at)
    },
    since: (sinceMs, limit) =>
      select
        .all(sinceMs, limit)
        .map((r) => ({ query: r.query, domain: r.domain === '' ? null : r.domain, misses: r.misses }))
  }
}
