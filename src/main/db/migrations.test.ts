import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { openDatabase } from './database'
import { bundledMigrations, migrate, parseMigrationFiles, schemaVersion, type Migration } from './migrations'

const tempDir = useTempDirs()
const dbIn = (dir: string) => openDatabase(join(dir, 'kos.db'))

const m = (version: number, sql: string): Migration => ({ version, name: `m${version}`, sql })

describe('migrations', () => {
  it('applies the bundled migrations in order and records each one', () => {
    const db = dbIn(tempDir())
    const outcome = migrate(db, bundledMigrations())
    expect(outcome.ok).toBe(true)
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()
    expect(rows).toEqual(bundledMigrations().map(({ version, name }) => ({ version, name })))
    expect(db.prepare("SELECT value FROM app_meta WHERE key = 'created_at'").get()).toBeDefined()
    db.close()
  })

  it('applies nothing the second time', () => {
    const db = dbIn(tempDir())
    migrate(db, bundledMigrations())
    const again = migrate(db, bundledMigrations())
    expect(again).toMatchObject({ ok: true, applied: [] })
    db.close()
  })

  it('leaves the database at the last complete version when a migration fails halfway', () => {
    const db = dbIn(tempDir())
    const broken = [m(1, 'CREATE TABLE a (x INTEGER)'), m(2, 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1)')]
    expect(() => migrate(db, broken)).toThrow(/no such table: nowhere/)
    expect(schemaVersion(db)).toBe(1)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined()
    db.close()
  })

  it('refuses a database written by a newer app', () => {
    const db = dbIn(tempDir())
    migrate(db, [m(1, 'SELECT 1'), m(2, 'SELECT 1'), m(3, 'SELECT 1')])
    expect(migrate(db, [m(1, 'SELECT 1')])).toEqual({ ok: false, reason: 'db_too_new', dbVersion: 3, appVersion: 1 })
    db.close()
  })

  it('refuses migration files with repeated numbers or bad names', () => {
    expect(() => parseMigrationFiles({ '/m/0001_a.sql': '', '/m/0001_b.sql': '' })).toThrow(/Two migration files are numbered 1/)
    expect(() => parseMigrationFiles({ '/m/first.sql': '' })).toThrow(/NNNN_name\.sql/)
    expect(parseMigrationFiles({ '/m/0003_c.sql': '', '/m/0001_a.sql': '' }).map((m) => m.version)).toEqual([1, 3])
  })

  it('applies a migration merged below the highest applied one', () => {
    const db = dbIn(tempDir())
    migrate(db, [m(1, 'CREATE TABLE a (x INTEGER)'), m(3, 'CREATE TABLE c (x INTEGER)')])
    const outcome = migrate(db, [m(1, 'CREATE TABLE a (x INTEGER)'), m(2, 'CREATE TABLE b (x INTEGER)'), m(3, 'CREATE TABLE c (x INTEGER)')])
    expect(outcome).toMatchObject({ ok: true, version: 3, applied: [{ version: 2 }] })
    db.close()
  })

  it('opens the store with WAL, foreign keys and a busy timeout', () => {
    const db = dbIn(tempDir())
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    db.close()
  })
})
