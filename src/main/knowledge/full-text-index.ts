import type { Db } from '../db/database'
import { readOnHelperThread } from '../db/read-on-helper-thread'

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

/** What the checklist's look at the whole index found: sound, with the chunks it holds, or why not. */
export type FullTextCheck =
  { readonly ok: true; readonly chunks: number } | { readonly ok: false; readonly reason: string }

const plural = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/**
 * FTS5's integrity check of the index's own structure (what a bad sector or a torn write damages: a lost shadow
 * table, garbled or lost blocks) and an exact comparison of the chunks it indexes with the chunks stored (one
 * missed by an insert, one left behind by a delete). Both read, on a helper thread: FTS5's 'integrity-check'
 * command with rank 1, which also re-reads each chunk's words, is an INSERT: it held the write lock and the event
 * loop for 0.4–0.8 s at 100,000 chunks and seconds at a million, on every checklist run. What it alone would find,
 * a chunk whose text changed while the index kept its old words, takes an UPDATE with the triggers dropped.
 */
export async function checkFullTextIndex(
  db: Db,
  options: { readonly signal: AbortSignal; readonly driver?: string }
): Promise<FullTextCheck> {
  if (!exists(db)) return { ok: true, chunks: 0 }
  const read = await readOnHelperThread(db, {
    statements: [
      `PRAGMA integrity_check(${FTS_TABLE})`,
      `SELECT (SELECT count(*) FROM knowledge_chunks) AS chunks,
         (SELECT count(*) FROM knowledge_chunks c
           WHERE NOT EXISTS (SELECT 1 FROM ${FTS_TABLE}_docsize d WHERE d.id = c.id)) AS missing,
         (SELECT count(*) FROM ${FTS_TABLE}_docsize d
           WHERE NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.id = d.id)) AS stale`
    ],
    signal: options.signal,
    driver: options.driver
  })
  // A damaged index makes SQLite refuse to open it ("vtable constructor failed"): that is a finding too.
  if (!read.ok) return { ok: false, reason: `it could not be read: ${read.message}` }
  const [structure, rows] = read.rows as [readonly { integrity_check: string }[], readonly RowSets[]]
  const problems = structure.map((r) => r.integrity_check).filter((r) => r !== 'ok')
  if (problems.length > 0) return { ok: false, reason: problems.slice(0, 3).join('; ') }
  const { chunks, missing, stale } = rows[0] ?? { chunks: 0, missing: 0, stale: 0 }
  if (missing === 0 && stale === 0) return { ok: true, chunks }
  const found = [
    missing > 0 ? `${plural(missing, 'stored chunk is', 'stored chunks are')} not in the index` : null,
    stale > 0 ? `${plural(stale, 'entry', 'entries')} in the index for chunks no longer stored` : null
  ]
  return { ok: false, reason: found.filter((f) => f !== null).join('; ') }
}

interface RowSets {
  readonly chunks: number
  readonly missing: number
  readonly stale: number
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
