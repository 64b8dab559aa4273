import type { Db } from './database'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export type MigrationOutcome =
  | { readonly ok: true; readonly version: number; readonly applied: readonly Migration[] }
  | { readonly ok: false; readonly reason: 'db_too_new'; readonly dbVersion: number; readonly appVersion: number }

const FILE_NAME = /\/(\d{4})_([a-z0-9_]+)\.sql$/
/**
 * A migration that rebuilds a table others refer to (SQLite cannot alter a
 * CHECK) says so on a line of its own: it runs with foreign keys off, as
 * SQLite's procedure for such changes requires (dropping the old table would
 * otherwise cascade to its children), and is committed only if
 * foreign_key_check then finds nothing broken.
 */
const REBUILDS_TABLES = /^-- kos:rebuilds-tables$/m

export function parseMigrationFiles(sources: Readonly<Record<string, string>>): Migration[] {
  const migrations = Object.entries(sources).map(([path, sql]) => {
    const match = FILE_NAME.exec(path)
    if (!match?.[1] || !match[2]) throw new Error(`Migration file ${path} must be named NNNN_name.sql`)
    return { version: Number(match[1]), name: match[2], sql }
  })
  migrations.sort((a, b) => a.version - b.version)
  migrations.forEach((m, index) => {
    if (index > 0 && migrations[index - 1]?.version === m.version)
      throw new Error(`Two migration files are numbered ${m.version}; renumber one`)
  })
  return migrations
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }
  return row.v
}

/**
 * Applies every migration the database has not recorded, in order, each in
 * its own transaction together with its schema_migrations row, so a failure
 * leaves the database at the last complete step. Recorded versions rather
 * than "newer than the highest" decide, so a migration merged with a lower
 * number than one already applied still runs. A database written by a newer
 * app is refused rather than guessed at.
 */
export function migrate(
  db: Db,
  migrations: readonly Migration[],
  now: () => Date = () => new Date()
): MigrationOutcome {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`)
  const current = schemaVersion(db)
  const latest = migrations.at(-1)?.version ?? 0
  if (current > latest) return { ok: false, reason: 'db_too_new', dbVersion: current, appVersion: latest }

  const recorded = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version)
  )
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  const applied: Migration[] = []
  // A migration may rewrite a whole table or build an index over it: its statement journal and sorts go to
  // temporary files, as SQLite's default has them, not into memory (database.ts keeps them in memory otherwise).
  const tempStore = db.pragma('temp_store', { simple: true }) as number
  db.pragma('temp_store = FILE')
  try {
    for (const migration of migrations) applyOne(migration)
  } finally {
    db.pragma(`temp_store = ${tempStore}`)
  }
  return { ok: true, version: Math.max(current, latest), applied }

  function applyOne(migration: Migration): void {
    if (recorded.has(migration.version)) return
    const rebuilds = REBUILDS_TABLES.test(migration.sql)
    const foreignKeys = db.pragma('foreign_keys', { simple: true })
    if (rebuilds) db.pragma('foreign_keys = OFF')
    try {
      db.transaction(() => {
        db.exec(migration.sql)
        if (rebuilds) assertForeignKeysHold(db, migration)
        record.run(migration.version, migration.name, now().toISOString())
      }).immediate()
    } finally {
      if (rebuilds) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`)
    }
    applied.push(migration)
  }
}

function assertForeignKeysHold(db: Db, migration: Migration): void {
  const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[]
  if (broken.length === 0) return
  const first = broken[0] as { table: string; parent: string }
  throw new Error(
    `Migration ${migration.version} (${migration.name}) would leave ${broken.length} row(s) of ${first.table} pointing at missing ${first.parent} rows; nothing was changed.`
  )
}
