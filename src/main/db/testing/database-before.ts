import { join } from 'node:path'
import { bundledMigrations } from '../bundled-migrations'
import { openDatabase, type Db } from '../database'
import { migrate, type Migration } from '../migrations'

/**
 * For a migration's test: a database in `dir` with every bundled migration before the named one applied, so
 * the test can write rows in the shape they had; then `through` applies the named one (and none after it),
 * `all` every migration.
 */
export function databaseBefore(
  dir: string,
  name: string
): { db: Db; version: number; through: Migration[]; all: Migration[] } {
  const all = bundledMigrations()
  const version = all.find((m) => m.name === name)?.version ?? 0
  const db = openDatabase(join(dir, 'kos.db'))
  migrate(
    db,
    all.filter((m) => m.version < version)
  )
  return { db, version, through: all.filter((m) => m.version <= version), all }
}
