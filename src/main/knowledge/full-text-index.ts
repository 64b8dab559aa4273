import type { Db } from '../db/database'

/** The FTS5 index over knowledge_chunks (migrations/0004_knowledge.sql); it holds nothing the chunks do not. */
export const FTS_TABLE = 'knowledge_chunks_fts'
/** FTS5's own merging as chunks are written (migration 0027): at 8 segments of a level, not 4; fts-merge.ts merges the rest. */
export const FTS_AUTOMERGE = 8
const SHADOW_TABLES = ['data', 'idx', 'config', 'docsize', 'content'].map((suffix) => `${FTS_TABLE}_${suffix}`)

export type IndexVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string }

function exists(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(FTS_TABLE) !== undefined
}

function verdictOf(run: () => unknown): IndexVerdict {
  try {
    run()
    return { ok: true }
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  }
}

/**
 * Cheap enough for every start: the index must open (a damaged shadow table
 * fails here with "vtable constructor failed") and answer a query.
 */
export function probeFullTextIndex(db: Db): IndexVerdict {
  if (!exists(db)) return { ok: true }
  return verdictOf(() => db.prepare(`SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH 'kos' LIMIT 1`).all())
}

/**
 * FTS5's own integrity-check, with rank 1 so the index is also compared with
 * the chunks it was built from; reads the whole index (a checklist check,
 * not a start-up one).
 */
export function checkFullTextIndex(db: Db): IndexVerdict {
  if (!exists(db)) return { ok: true }
  return verdictOf(() =>
    db.prepare(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}, rank) VALUES ('integrity-check', 1)`).run()
  )
}

/**
 * Rebuilds the index from the stored chunks with FTS5's 'rebuild'. When the
 * index cannot even be opened (a shadow table lost or its format damaged),
 * 'rebuild' fails too: then the table is dropped from the schema by hand
 * (SQLite cannot drop a virtual table it cannot open), its shadow tables are
 * dropped, and it is created again from its own definition and rebuilt.
 * One transaction: on any failure the database is as it was.
 */
export function rebuildFullTextIndex(db: Db): { readonly chunks: number; readonly recreated: boolean } {
  const chunks = (db.prepare('SELECT count(*) AS n FROM knowledge_chunks').get() as { n: number }).n
  const rebuild = (): void => void db.prepare(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}) VALUES ('rebuild')`).run()
  try {
    db.transaction(rebuild).immediate()
    return { chunks, recreated: false }
  } catch {
    // Cannot open: recreated below.
  }
  const definition = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
    .pluck()
    .get(FTS_TABLE) as string | undefined
  if (!definition) throw new Error(`${FTS_TABLE} is missing from the schema; restore the database from a backup`)
  db.unsafeMode(true)
  try {
    db.transaction(() => {
      db.pragma('writable_schema = ON')
      db.prepare("DELETE FROM sqlite_master WHERE type = 'table' AND name = ?").run(FTS_TABLE)
      // Reloads the schema, so the shadow tables are plain tables that can be dropped.
      db.pragma('writable_schema = RESET')
      for (const shadow of SHADOW_TABLES) db.exec(`DROP TABLE IF EXISTS ${shadow}`)
      db.exec(definition)
      // The new index's settings start from FTS5's defaults: the one the app changed is set again.
      db.exec(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}, rank) VALUES ('automerge', ${FTS_AUTOMERGE})`)
      rebuild()
    }).immediate()
  } finally {
    db.unsafeMode(false)
  }
  return { chunks, recreated: true }
}
