import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase, type Db } from '../../db/database'
import { migrate, parseMigrationFiles } from '../../db/migrations'

/**
 * A migrated database for child processes and benchmarks, which run without
 * Vite and so cannot use the bundled migrations: it reads migrations/*.sql
 * from the repository and applies them as the app does.
 */
export function openTaskDb(file: string, repoRoot: string, options: { synchronous?: 'FULL' | 'NORMAL' } = {}): Db {
  const db = openDatabase(file)
  if (options.synchronous) db.pragma(`synchronous = ${options.synchronous}`)
  const dir = join(repoRoot, 'migrations')
  const sources = Object.fromEntries(
    readdirSync(dir)
      .filter((n) => n.endsWith('.sql'))
      .map((n) => [`/${n}`, readFileSync(join(dir, n), 'utf8')])
  )
  migrate(db, parseMigrationFiles(sources))
  return db
}
