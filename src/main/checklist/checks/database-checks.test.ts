import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/database'
import { bundledMigrations } from '../../db/bundled-migrations'
import { migrate, type Migration } from '../../db/migrations'
import { useTempDirs } from '../../test-support/temp-dir'
import { databaseChecks } from './database-checks'

const tempDir = useTempDirs()

function setup(migrations: Migration[] = bundledMigrations()) {
  const file = join(tempDir(), 'kos.db')
  const db = openDatabase(file)
  migrate(db, migrations)
  const checks = Object.fromEntries(databaseChecks({ db, databaseFile: file, migrations }).map((c) => [c.id, c]))
  const run = (id: string) => checks[id]!.run(new AbortController().signal)
  return { db, file, run }
}

describe('database checks', () => {
  it('pass on a fresh, migrated database', async () => {
    const { db, run } = setup()
    expect(await run('database.integrity')).toEqual({ status: 'pass', evidence: 'quick_check: ok' })
    expect(await run('database.wal')).toMatchObject({
      status: 'pass',
      evidence: expect.stringMatching(/^journal_mode wal; WAL file/)
    })
    expect(await run('database.migrations')).toMatchObject({ status: 'pass' })
    db.close()
  })

  it('fail when the journal is not WAL', async () => {
    const { db, run } = setup()
    db.pragma('journal_mode = DELETE')
    expect(await run('database.wal')).toEqual({ status: 'fail', evidence: 'journal_mode is delete' })
    db.close()
  })

  it('fail when a migration is missing or the database is from a newer app', async () => {
    const { db, run } = setup()
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run()
    expect(await run('database.migrations')).toEqual({ status: 'fail', evidence: 'applied by a newer app: 999' })
    db.prepare('DELETE FROM schema_migrations WHERE version = 1').run()
    expect(await run('database.migrations')).toEqual({ status: 'fail', evidence: 'not applied: 1' })
    db.close()
  })

  it('fail when a page of the database is damaged', async () => {
    const { db, file } = setup()
    db.exec('CREATE TABLE filler (x TEXT); CREATE INDEX filler_x ON filler (x)')
    const insert = db.prepare('INSERT INTO filler VALUES (?)')
    for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(50)}`)
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    // Overwrite the middle of the file: pages of the filler table and its index.
    const bytes = readFileSync(file)
    bytes.fill(0x5a, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 8192)
    writeFileSync(file, bytes)
    const reopened = openDatabase(file)
    const check = databaseChecks({ db: reopened, databaseFile: file, migrations: bundledMigrations() }).find(
      (c) => c.id === 'database.integrity'
    )!
    const outcome = await check.run(new AbortController().signal)
    expect(outcome.status).toBe('fail')
    expect(outcome.evidence).toMatch(/quick_check/)
    reopened.close()
  })
})
