import { join } from 'node:path'
import { expect, it } from 'vitest'
import { bundledMigrations } from '../db/bundled-migrations'
import { openDatabase, type Db } from '../db/database'
import { migrate } from '../db/migrations'
import { useTempDirs } from '../test-support/temp-dir'
import { checkFullTextIndex } from './full-text-index'
import { createFullTextMerger } from './fts-merge'
import { createKnowledgeStore, type KnowledgeStore } from './knowledge-store'

const tempDir = useTempDirs()

function base(): { db: Db; store: KnowledgeStore } {
  const db = openDatabase(join(tempDir(), 'kos.db'))
  migrate(db, bundledMigrations())
  return { db, store: createKnowledgeStore(db) }
}

/** One node per transaction, as notes added one by one: a segment each, before FTS5's automerge. */
function addNotes(store: KnowledgeStore, count: number, from = 0): void {
  for (let n = from; n < from + count; n++) {
    const text = `note ${n} about ${n % 3 ? 'backups' : 'embeddings'} and word${n} plus filler${n % 17} ${Array.from({ length: 8 }, (_, k) => `term${n}x${k}`).join(' ')}`
    store.insert({ title: `n${n}`, content: text, domain: null, source: null }, [{ text, tokens: 8 }])
  }
}

const segments = (db: Db): number =>
  db.prepare('SELECT count(DISTINCT segid) FROM knowledge_chunks_fts_idx').pluck().get() as number

const found = (db: Db, match: string): number[] =>
  db
    .prepare('SELECT rowid FROM knowledge_chunks_fts WHERE knowledge_chunks_fts MATCH ? ORDER BY rowid')
    .pluck()
    .all(match) as number[]

it('merges a base written in many transactions into one segment, step by step, and every search finds the same chunks', async () => {
  const { db, store } = base()
  addNotes(store, 200)
  expect(segments(db)).toBeGreaterThan(4)
  const queries = ['backups', 'embeddings', 'word7', 'filler3 OR word150', 'note']
  const before = queries.map((q) => found(db, q))
  const merger = createFullTextMerger(db)
  let steps = 0
  while (merger.step(2)) steps++
  expect(steps).toBeGreaterThan(0)
  expect(segments(db)).toBe(1)
  expect(queries.map((q) => found(db, q))).toEqual(before)
  expect(await checkFullTextIndex(db, { signal: new AbortController().signal })).toMatchObject({ ok: true })
  expect(merger.step()).toBe(false)
  db.close()
})

it('leaves a large merged index alone while the segments added since hold less than an eighth of it', () => {
  const { db, store } = base()
  db.transaction(() => addNotes(store, 3000))()
  const merger = createFullTextMerger(db)
  while (merger.step());
  expect(segments(db)).toBe(1)
  addNotes(store, 6, 3000)
  const now = segments(db)
  expect(now).toBeGreaterThan(4)
  expect(merger.step()).toBe(false)
  expect(segments(db)).toBe(now)
  // Once they grow past it, a pass runs to one segment again.
  db.transaction(() => addNotes(store, 600, 3006))()
  addNotes(store, 4, 3606)
  expect(merger.step()).toBe(true)
  while (merger.step());
  expect(segments(db)).toBe(1)
  expect(found(db, 'word3005')).toHaveLength(1)
  expect(found(db, 'term3609x7')).toHaveLength(1)
  db.close()
})
