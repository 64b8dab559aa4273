import type { Db } from '../db/database'
import { FTS_TABLE } from './full-text-index'

/**
 * Merges FTS5's segments into one, a few pages a step, in the background.
 *
 * Every write transaction adds a segment, and FTS5's automerge keeps up to
 * seven per level (FTS_AUTOMERGE: less merging while an import writes), so
 * a base imported in batches holds a dozen or more (11 at a million chunks
 * with FTS5's default of three). A term is looked up in each segment: a random page read
 * apiece, from disk once the kernel has reclaimed the file. Merged into one,
 * the lexical half of a search read 4 pages instead of 16 at a million
 * chunks, p95 0.95 ms instead of 6.7 (README.md).
 *
 * FTS5 merges everything into one segment (a negative 'merge'), so a pass
 * rewrites the whole index: it starts only when more than MERGE_FROM
 * segments hold at least an eighth of what the largest holds, so a note
 * added now and then does not rewrite a large index each time. A pass, once
 * started, runs to one segment. Sizes are counted in leaf pages (a row of
 * the `_idx` table per leaf).
 */
export interface FullTextMerger {
  /** One step of at most `pages` pages written; true while the pass has more to do. */
  step(pages?: number): boolean
}

export const MERGE_FROM = 4
export const MERGE_PAGES_PER_STEP = 100

export function createFullTextMerger(db: Db): FullTextMerger {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck()
  let passing = false
  return {
    step(pages = MERGE_PAGES_PER_STEP) {
      if (!exists.get(`${FTS_TABLE}_idx`)) return false
      const sizes = db
        .prepare(`SELECT count(*) FROM ${FTS_TABLE}_idx GROUP BY segid ORDER BY 1 DESC`)
        .pluck()
        .all() as number[]
      const rest = sizes.slice(1).reduce((sum, size) => sum + size, 0)
      if (sizes.length <= 1) passing = false
      else if (sizes.length > MERGE_FROM && rest * 8 >= sizes[0]!) passing = true
      if (!passing) return false
      db.prepare(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}, rank) VALUES ('merge', ?)`).run(-Math.max(1, pages))
      return true
    }
  }
}
