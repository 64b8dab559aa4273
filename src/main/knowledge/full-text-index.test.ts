import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Db } from '../db/database'
import { backupCopy } from '../db/backup-copy'
import { openDatabase } from '../db/database'
import { useTempDirs } from '../test-support/temp-dir'
import { createKnowledgeStore } from './knowledge-store'
import {
  checkFullTextIndex,
  FTS_AUTOMERGE,
  FTS_TABLE,
  probeFullTextIndex,
  rebuildFullTextIndex
} from './full-text-index'
import { testDb } from './test-support/test-kit'

const tempDir = useTempDirs()

/** Ways a full-text index is found damaged in the field, each done to the file as a crash or a bad disk would. */
const DAMAGE: Readonly<Record<string, string>> = {
  'a lost shadow table (vtable constructor failed)': `DELETE FROM sqlite_master WHERE name = '${FTS_TABLE}_config'`,
  'an unknown index format version': `UPDATE ${FTS_TABLE}_config SET v = 9 WHERE k = 'version'`,
  'garbled index blocks': `UPDATE ${FTS_TABLE}_data SET block = randomblob(length(block)) WHERE id > 10`
}

/** What the check says of each: SQLite cannot open the first two; FTS5's own check reads the third. */
const FOUND: Readonly<Record<string, RegExp>> = {
  'a lost shadow table (vtable constructor failed)':
    /^it could not be read: vtable constructor failed: knowledge_chunks_fts$/,
  'an unknown index format version': /^it could not be read: invalid fts5 file format \(found 9, expected 4 or 5\)/,
  'garbled index blocks': /^fts5: corruption found reading blob \d+ from table "knowledge_chunks_fts"/
}

function seeded(dir: string): Db {
  const db = testDb(dir)
  const store = createKnowledgeStore(db)
  for (let i = 0; i < 60; i++)
    store.insert({ title: `note ${i}`, content: `backup rotation note ${i}`, domain: null, source: null }, [
      { text: `backup rotation note number ${i} alpha`, tokens: 6 },
      { text: `second chunk ${i} beta`, tokens: 4 }
    ])
  return db
}

function damage(dir: string, db: Db, sql: string): Db {
  db.unsafeMode(true)
  db.pragma('writable_schema = ON')
  db.exec(sql)
  db.close()
  return openDatabase(`${dir}/kos.db`)
}

const check = (db: Db) => checkFullTextIndex(db, { signal: new AbortController().signal })

const matches = (db: Db, word: string): number =>
  (db.prepare(`SELECT count(*) AS n FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`).get(word) as { n: number }).n

describe('the full-text index', () => {
  const automerge = (db: Db): unknown =>
    db.prepare(`SELECT v FROM ${FTS_TABLE}_config WHERE k = 'automerge'`).pluck().get()

  it('passes the start-up probe and the integrity check when sound', async () => {
    const db = seeded(tempDir())
    expect(automerge(db)).toBe(FTS_AUTOMERGE)
    expect(probeFullTextIndex(db)).toEqual({ ok: true })
    expect(await check(db)).toEqual({ ok: true, chunks: 120 })
    db.close()
  })

  it.each(Object.entries(DAMAGE))('is found damaged and rebuilt from the stored chunks after %s', async (what, sql) => {
    const dir = tempDir()
    const db = damage(dir, seeded(dir), sql)
    expect(await check(db)).toEqual({ ok: false, reason: expect.stringMatching(FOUND[what]!) })

    const rebuilt = rebuildFullTextIndex(db)
    expect(rebuilt.chunks).toBe(120)
    expect(await check(db)).toEqual({ ok: true, chunks: 120 })
    // Recreated or not, the index merges as the app set it (migration 0027).
    expect(automerge(db)).toBe(FTS_AUTOMERGE)
    expect(probeFullTextIndex(db)).toEqual({ ok: true })
    expect(matches(db, 'alpha')).toBe(60)
    expect(matches(db, 'beta')).toBe(60)
    // The triggers follow the new index: a chunk added afterwards is found.
    createKnowledgeStore(db).insert({ title: 'late', content: 'gamma', domain: null, source: null }, [
      { text: 'gamma words', tokens: 2 }
    ])
    expect(matches(db, 'gamma')).toBe(1)
    db.close()
  })

  it('counts stored chunks the index misses and entries it keeps for chunks no longer stored, and the rebuild mends both', async () => {
    const db = seeded(tempDir())
    // What an insert or a delete that bypassed the index would leave: the structure sound, the rows apart.
    db.prepare(
      `INSERT INTO ${FTS_TABLE} (${FTS_TABLE}, rowid, text, stems) SELECT 'delete', id, text, stems FROM knowledge_chunks WHERE id IN (3, 4)`
    ).run()
    db.prepare(`INSERT INTO ${FTS_TABLE} (rowid, text, stems) VALUES (99999, 'ghost words', '')`).run()
    expect(await check(db)).toEqual({
      ok: false,
      reason: '2 stored chunks are not in the index; 1 entry in the index for chunks no longer stored'
    })
    rebuildFullTextIndex(db)
    expect(await check(db)).toEqual({ ok: true, chunks: 120 })
    expect(matches(db, 'ghost')).toBe(0)
    db.close()
  })

  it('checks without the write lock, so it neither waits for the app’s writes nor holds them up', async () => {
    const db = seeded(tempDir())
    db.prepare(`INSERT INTO ${FTS_TABLE} (rowid, text, stems) VALUES (99999, 'ghost words', '')`).run()
    // FTS5's 'integrity-check' command is an INSERT: on another connection it would wait here, then fail "database is locked".
    db.exec('BEGIN IMMEDIATE')
    expect(await check(db)).toEqual({ ok: false, reason: '1 entry in the index for chunks no longer stored' })
    db.exec('ROLLBACK')
    db.close()
  })

  it('a lost shadow table is caught by the cheap start-up probe', () => {
    const dir = tempDir()
    const db = damage(dir, seeded(dir), DAMAGE['a lost shadow table (vtable constructor failed)']!)
    expect(probeFullTextIndex(db)).toEqual({ ok: false, reason: `vtable constructor failed: ${FTS_TABLE}` })
    db.close()
  })

  it('backs the database up to one file holding everything committed, WAL included', () => {
    const dir = tempDir()
    const db = seeded(dir)
    const file = backupCopy(db, dir, 'before-fts-rebuild', new Date('2026-12-01T10:00:00Z'))
    expect(file).toBe(`${dir}/backups/kos-20261201T100000Z-before-fts-rebuild.db`)
    expect(existsSync(file)).toBe(true)
    const copy = openDatabase(file)
    expect((copy.prepare('SELECT count(*) AS n FROM knowledge_chunks').get() as { n: number }).n).toBe(120)
    copy.close()
    db.close()
  })
})
