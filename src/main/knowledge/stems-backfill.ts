import type { Db } from '../db/database'
import { russianStems } from './russian-stem'

/**
 * Gives the chunks stored before migration 0015 their Russian stems, a batch
 * at a time in id order, so a large base is done in the background without
 * holding the connection; each batch and its place are one transaction.
 * Returns true while there is more to do.
 */
export function backfillStems(db: Db, batch = 500): boolean {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'knowledge_stems_backfill'")
    .pluck()
    .get()
  if (!table) return false
  return db.transaction(() => {
    const next = db.prepare('SELECT next_id FROM knowledge_stems_backfill').pluck().get() as number | undefined
    if (next === undefined) {
      db.exec('DROP TABLE knowledge_stems_backfill')
      return false
    }
    const rows = db
      .prepare('SELECT id, text FROM knowledge_chunks WHERE id >= ? ORDER BY id LIMIT ?')
      .raw()
      .all(next, batch) as [number, string][]
    const update = db.prepare('UPDATE knowledge_chunks SET stems = ? WHERE id = ?')
    for (const [id, text] of rows) {
      const stems = russianStems(text)
      if (stems) update.run(stems, id)
    }
    if (rows.length < batch) {
      db.exec('DROP TABLE knowledge_stems_backfill')
      return false
    }
    db.prepare('UPDATE knowledge_stems_backfill SET next_id = ?').run(rows.at(-1)![0] + 1)
    return true
  })()
}
