import { statSync } from 'node:fs'
import type { Db } from '../../db/database'
import { schemaVersion, type Migration } from '../../db/migrations'
import { quickCheck } from '../../db/quick-check'
import type { CheckDefinition } from '../check-definition'
import { formatBytes } from '../format-bytes'

export function databaseChecks(deps: {
  db: Db
  databaseFile: string
  migrations: readonly Migration[]
}): CheckDefinition[] {
  const { db, databaseFile, migrations } = deps
  return [
    {
      id: 'database.integrity',
      title: 'Database integrity',
      area: 'database',
      severity: 'hard',
      measures:
        'PRAGMA quick_check on the database, on a thread of its own; "ok" means every page and index is consistent.',
      remedy:
        'Quit the app, copy kos.db aside, and restore the newest backup; if there is none, run `sqlite3 kos.db ".recover"` into a new file.',
      fix: null,
      // It reads every page, on its own thread: a few seconds per gigabyte, with nothing waiting on it.
      timeoutMs: 10 * 60_000,
      async run(signal) {
        const checked = await quickCheck(db, { limit: 20, signal })
        // A badly damaged file makes SQLite refuse the check itself: that is the finding.
        if (!checked.ok)
          return { status: 'fail', evidence: `quick_check could not read the database: ${checked.message}` }
        const { problems } = checked
        return problems.length === 0
          ? { status: 'pass', evidence: 'quick_check: ok' }
          : {
              status: 'fail',
              evidence: `quick_check found ${problems.length} problem(s): ${problems.slice(0, 3).join('; ')}`
            }
      }
    },
    {
      id: 'database.wal',
      title: 'Write-ahead log in use',
      area: 'database',
      severity: 'hard',
      measures:
        'PRAGMA journal_mode, and the size of kos.db-wal (a WAL that only grows means readers block checkpoints).',
      remedy:
        'Restart the app; it opens the database in WAL mode. If the WAL file stays above 256 MiB, stop the CLI or any tool holding a long read on kos.db.',
      fix: null,
      run() {
        const mode = String(db.pragma('journal_mode', { simple: true }))
        let walBytes = 0
        try {
          walBytes = statSync(`${databaseFile}-wal`).size
        } catch {
          walBytes = 0
        }
        if (mode !== 'wal') return { status: 'fail', evidence: `journal_mode is ${mode}` }
        return {
          status: walBytes > 256 * 1024 * 1024 ? 'warn' : 'pass',
          evidence: `journal_mode wal; WAL file ${formatBytes(walBytes)}`
        }
      }
    },
    {
      id: 'database.migrations',
      title: 'Schema up to date',
      area: 'database',
      severity: 'hard',
      measures: 'The versions recorded in schema_migrations against the migrations this build carries.',
      remedy: 'Restart the app to apply pending migrations; a database newer than the app needs the newer app.',
      fix: null,
      run() {
        const recorded = new Set(
          (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version)
        )
        const missing = migrations.filter((m) => !recorded.has(m.version)).map((m) => m.version)
        const known = new Set(migrations.map((m) => m.version))
        const unknown = [...recorded].filter((v) => !known.has(v))
        if (missing.length > 0) return { status: 'fail', evidence: `not applied: ${missing.join(', ')}` }
        if (unknown.length > 0) return { status: 'fail', evidence: `applied by a newer app: ${unknown.join(', ')}` }
        return {
          status: 'pass',
          evidence: `schema version ${schemaVersion(db)}, ${migrations.length} migrations applied`
        }
      }
    }
  ]
}
