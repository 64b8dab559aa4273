import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase, type Db } from '../../db/database'

/**
 * A migrated database for child processes and benchmarks, which run without
 * Vite and so cannot use the bundled migrations: it applies migrations/*.sql
 * from the repository in order.
 */
export function openTaskDb(file: string, repoRoot: string, options: { synchronous?: 'FULL' | 'NORMAL' } = {}): Db {
  const db = openDatabase(file)
  if (options.synchronous) db.pragma(`synchronous = ${options.synchronous}`)
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT')
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version))
  const dir = join(repoRoot, 'migrations')
  for (const name of readdirSync(dir).filter((n) => /^\d{4}_[a-z0-9_]+\.sql$/.test(n)).sort()) {
    const version = Number(name.slice(0, 4))
    if (done.has(version)) continue
    db.transaction(() => {
      db.exec(readFileSync(join(dir, name), 'utf8'))
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(version, name, new Date().toISOString())
    }).immediate()
  }
  return db
}
