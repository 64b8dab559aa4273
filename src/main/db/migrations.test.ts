import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { openDatabase } from './database'
import { bundledMigrations } from './bundled-migrations'
import { migrate, parseMigrationFiles, schemaVersion, type Migration } from './migrations'

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
    const broken = [
      m(1, 'CREATE TABLE a (x INTEGER)'),
      m(2, 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1)')
    ]
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
    expect(() => parseMigrationFiles({ '/m/0001_a.sql': '', '/m/0001_b.sql': '' })).toThrow(
      /Two migration files are numbered 1/
    )
    expect(() => parseMigrationFiles({ '/m/first.sql': '' })).toThrow(/NNNN_name\.sql/)
    expect(parseMigrationFiles({ '/m/0003_c.sql': '', '/m/0001_a.sql': '' }).map((m) => m.version)).toEqual([1, 3])
  })

  it('applies a migration merged below the highest applied one', () => {
    const db = dbIn(tempDir())
    migrate(db, [m(1, 'CREATE TABLE a (x INTEGER)'), m(3, 'CREATE TABLE c (x INTEGER)')])
    const outcome = migrate(db, [
      m(1, 'CREATE TABLE a (x INTEGER)'),
      m(2, 'CREATE TABLE b (x INTEGER)'),
      m(3, 'CREATE TABLE c (x INTEGER)')
    ])
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

  it('keeps statement journals in memory, but runs migrations with temporary files, as they may rewrite whole tables', () => {
    const db = dbIn(tempDir())
    const MEMORY = 2
    const FILE = 1
    expect(db.pragma('temp_store', { simple: true })).toBe(MEMORY)
    migrate(db, [m(1, 'CREATE TABLE seen AS SELECT temp_store FROM pragma_temp_store')])
    expect(db.prepare('SELECT temp_store FROM seen').pluck().get()).toBe(FILE)
    expect(() => migrate(db, [m(1, 'SELECT 1'), m(2, 'CREATE TABLE broken (')])).toThrow()
    expect(db.pragma('temp_store', { simple: true })).toBe(MEMORY)
    db.close()
  })

  describe('a migration that rebuilds a table others refer to', () => {
    const parentAndChild = m(
      1,
      `CREATE TABLE parent (id TEXT PRIMARY KEY, v TEXT CHECK (v IN ('a', 'b', 'c')));
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id) ON DELETE CASCADE);
      INSERT INTO parent VALUES ('p1', 'a'), ('p2', 'b'); INSERT INTO child (parent_id) VALUES ('p1'), ('p2'), ('p2');`
    )
    const rebuild = (extra = '') =>
      m(
        2,
        `-- kos:rebuilds-tables
        CREATE TABLE parent_rebuilt (id TEXT PRIMARY KEY, v TEXT CHECK (v = 'a' OR v = 'b' OR v = 'c'));
        INSERT INTO parent_rebuilt SELECT * FROM parent ${extra};
        DROP TABLE parent;
        ALTER TABLE parent_rebuilt RENAME TO parent;`
      )

    it('keeps the rows that refer to it, and turns foreign keys back on', () => {
      const db = dbIn(tempDir())
      migrate(db, [parentAndChild, rebuild()])
      expect(db.prepare('SELECT COUNT(*) AS n FROM child').get()).toEqual({ n: 3 })
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      expect(() => db.prepare("INSERT INTO parent VALUES ('p3', 'z')").run()).toThrow(/CHECK constraint failed/)
      db.close()
    })

    it('is refused whole when it would leave a reference pointing nowhere', () => {
      const db = dbIn(tempDir())
      expect(() => migrate(db, [parentAndChild, rebuild("WHERE id = 'p1'")])).toThrow(
        /would leave 2 row\(s\) of child pointing at missing parent rows/
      )
      expect(schemaVersion(db)).toBe(1)
      expect(db.prepare('SELECT COUNT(*) AS n FROM parent').get()).toEqual({ n: 2 })
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      db.close()
    })
  })

  it('keeps every task and event through the rebuild of the task tables, turns their times into milliseconds, and still refuses values outside the lists', () => {
    const db = dbIn(tempDir())
    const all = bundledMigrations()
    migrate(
      db,
      all.filter((x) => x.version < 9)
    )
    const at = '2026-11-24T12:00:00.123Z'
    db.prepare(
      `INSERT INTO tasks (id, title, description, priority, priority_rank, status, dedup_key, created_at, updated_at) VALUES ('t1', 'A task', 'd', 'high', 2, 'pending', 'k', ?, ?)`
    ).run(at, at)
    db.prepare(
      `INSERT INTO tasks (id, title, description, priority, priority_rank, status, dedup_key, created_at, updated_at, parent_task_id) VALUES ('t2', 'Its subtask', 'd', 'low', 0, 'pending', 'k2', ?, ?, 't1')`
    ).run(at, at)
    db.prepare(
      `INSERT INTO task_events (task_id, kind, status, attempt, at) VALUES ('t1', 'created', 'pending', 0, ?), ('t2', 'created', 'pending', 0, ?)`
    ).run(at, at)
    const rows = () =>
      ({
        tasks: db.prepare('SELECT * FROM tasks ORDER BY id').all(),
        events: db.prepare('SELECT * FROM task_events ORDER BY seq').all()
      }) as { tasks: Record<string, unknown>[]; events: Record<string, unknown>[] }
    const before = rows()
    expect(
      migrate(
        db,
        all.filter((x) => x.version <= 9)
      )
    ).toMatchObject({ ok: true, applied: [{ version: 9 }] })
    const ms = Date.parse(at)
    expect(rows()).toEqual({
      tasks: before.tasks.map((t) => ({ ...t, created_at: ms, updated_at: ms })),
      events: before.events.map((e) => ({ ...e, at: ms }))
    })
    expect(() => db.prepare("UPDATE tasks SET status = 'done' WHERE id = 't1'").run()).toThrow(
      /CHECK constraint failed/
    )
    expect(() =>
      db
        .prepare(
          "INSERT INTO task_events (task_id, kind, status, attempt, at) VALUES ('t1', 'exploded', 'pending', 0, 0)"
        )
        .run()
    ).toThrow(/CHECK constraint failed/)
    db.prepare("DELETE FROM tasks WHERE id = 't1'").run()
    expect(db.prepare("SELECT parent_task_id FROM tasks WHERE id = 't2'").get()).toEqual({ parent_task_id: null })
    expect(db.prepare("SELECT COUNT(*) AS n FROM task_events WHERE task_id = 't1'").get()).toEqual({ n: 0 })
    db.close()
  })
})
