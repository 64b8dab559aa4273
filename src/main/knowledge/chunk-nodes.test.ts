import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../db/database'
import { useTempDirs } from '../test-support/temp-dir'
import { createChunkNodes } from './chunk-nodes'
import { createKnowledgeStore, type KnowledgeStore } from './knowledge-store'
import { testDb } from './test-support/test-kit'

const tempDir = useTempDirs()

type Op =
  | { kind: 'insert'; outside: boolean; chunks: number }
  | { kind: 'delete'; outside: boolean; pick: number }
  | { kind: 'deleteNewest'; outside: boolean }
  | { kind: 'replace'; outside: boolean; pick: number; chunks: number }
  | { kind: 'trimLog' }
  | { kind: 'loadStep'; nodes: number }
  | { kind: 'check' }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), outside: fc.boolean(), chunks: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('delete' as const), outside: fc.boolean(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('deleteNewest' as const), outside: fc.boolean() }),
  fc.record({
    kind: fc.constant('replace' as const),
    outside: fc.boolean(),
    pick: fc.nat(),
    chunks: fc.integer({ min: 1, max: 4 })
  }),
  fc.constant({ kind: 'trimLog' as const }),
  fc.record({ kind: fc.constant('loadStep' as const), nodes: fc.integer({ min: 1, max: 3 }) }),
  fc.constant({ kind: 'check' as const })
)

function truth(db: Db): Map<number, string> {
  return new Map(db.prepare('SELECT id, node_id FROM knowledge_chunks').raw().all() as [number, string][])
}

function truthOf(db: Db, ids: readonly number[]): Map<number, string> {
  const now = truth(db)
  return new Map(ids.flatMap((id) => (now.has(id) ? [[id, now.get(id)!] as const] : [])))
}

function chunksOf(n: number, label: string): { text: string; tokens: number }[] {
  return Array.from({ length: n }, (_, i) => ({ text: `${label} part ${i}`, tokens: 3 }))
}

describe('each chunk’s node in memory', () => {
  it('names the same node as the chunk rows after any adds, deletes, replacements and trims, by this connection or another process’s, before, during and after a load in slices (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), fc.boolean(), (ops, loadFirst) => {
        const dir = tempDir()
        const db = testDb(dir)
        // Another process's connection (`kos import`): its writes reach ours only through the database.
        const other = openDatabase(`${dir}/kos.db`)
        try {
          const stores: Record<'own' | 'outside', KnowledgeStore> = {
            own: createKnowledgeStore(db),
            outside: createKnowledgeStore(other)
          }
          const map = createChunkNodes(db)
          const seen = new Set<number>()
          let made = 0
          const nodes = (): string[] =>
            db.prepare('SELECT id FROM knowledge_nodes ORDER BY rowid').pluck().all() as string[]
          const check = (): void => {
            const now = truth(db)
            for (const id of now.keys()) seen.add(id)
            const ids = [...seen, Math.max(0, ...seen) + 1]
            expect(map.nodesOf(ids)).toEqual(new Map(ids.flatMap((id) => (now.has(id) ? [[id, now.get(id)!]] : []))))
          }
          if (loadFirst) map.load()
          for (const step of ops) {
            const store = 'outside' in step ? stores[step.outside ? 'outside' : 'own'] : stores.own
            const all = nodes()
            switch (step.kind) {
              case 'insert':
                store.insert(
                  { title: `n${made}`, content: `n${made}`, domain: null, source: `s${made}` },
                  chunksOf(step.chunks, `n${made}`)
                )
                made++
                break
              case 'delete':
                if (all.length) store.delete(all[step.pick % all.length]!)
                break
              case 'deleteNewest':
                // The highest chunk ids go, and SQLite gives them again to the next insert.
                if (all.length) store.delete(all.at(-1)!)
                break
              case 'replace': {
                if (!all.length) break
                const id = all[step.pick % all.length]!
                const source = db.prepare('SELECT source FROM knowledge_nodes WHERE id = ?').pluck().get(id) as string
                store.upsertBySource(
                  { title: 'r', content: `r${made++}`, domain: null, source },
                  chunksOf(step.chunks, 'r')
                )
                break
              }
              case 'trimLog':
                // As the log's trigger does past 100,000 deletions: entries this map has not read may be gone.
                other.exec('DELETE FROM knowledge_chunks_gone WHERE seq < (SELECT MAX(seq) FROM knowledge_chunks_gone)')
                break
              case 'loadStep':
                // A slice of the load, with writes of either connection between slices.
                map.loadStep(step.nodes)
                break
              case 'check':
                check()
                break
            }
          }
          check()
        } finally {
          other.close()
          db.close()
        }
      }),
      { numRuns: 80 }
    )
  })

  it('forgets a chunk deleted, and learns one added, between the slices of its load', () => {
    const dir = tempDir()
    const db = testDb(dir)
    const other = openDatabase(`${dir}/kos.db`)
    const store = createKnowledgeStore(db)
    for (let n = 0; n < 6; n++)
      store.insert({ title: `n${n}`, content: `n${n}`, domain: null, source: null }, chunksOf(2, `n${n}`))
    const map = createChunkNodes(db)
    expect(map.loadStep(2)).toBe(true)
    // Every node is deleted after the first slice, so one read by it is among them; one node is added.
    createKnowledgeStore(other).insert(
      { title: 'late', content: 'late', domain: null, source: null },
      chunksOf(2, 'late')
    )
    for (const id of db.prepare('SELECT id FROM knowledge_nodes').pluck().all() as string[])
      if (id !== db.prepare("SELECT id FROM knowledge_nodes WHERE title = 'late'").pluck().get()) store.delete(id)
    while (map.loadStep(2));
    const ids = Array.from({ length: 20 }, (_, i) => i + 1)
    const before = map.rowsRead
    expect(map.nodesOf(ids)).toEqual(truthOf(db, ids))
    expect(map.rowsRead - before).toBe(ids.length - 2)
    other.close()
    db.close()
  })

  it('keeps the last 100,000 deletions in its log, trimming every 10,000th', () => {
    const db = testDb(tempDir())
    const log = (): { n: number; low: number; high: number } =>
      db.prepare('SELECT count(*) AS n, min(seq) AS low, max(seq) AS high FROM knowledge_chunks_gone').get() as {
        n: number
        low: number
        high: number
      }
    const note = db.prepare('INSERT INTO knowledge_chunks_gone (chunk_id) VALUES (?)')
    db.transaction(() => {
      for (let i = 1; i <= 119_999; i++) note.run(i)
    })()
    expect(log()).toEqual({ n: 109_999, low: 10_001, high: 119_999 })
    note.run(120_000)
    expect(log()).toEqual({ n: 100_000, low: 20_001, high: 120_000 })
    db.close()
  })

  it('answers from memory once loaded, and reads only the rows of chunks added since by nobody it heard of', () => {
    const db = testDb(tempDir())
    const store = createKnowledgeStore(db)
    const map = createChunkNodes(db)
    const a = store.insert({ title: 'a', content: 'a', domain: null, source: null }, chunksOf(3, 'a'))
    const ids = db.prepare('SELECT id FROM knowledge_chunks ORDER BY id').pluck().all() as number[]
    expect(map.nodesOf(ids)).toEqual(new Map(ids.map((id) => [id, a.id])))
    expect(map.rowsRead).toBe(3)
    map.load()
    expect(map.nodesOf(ids)).toEqual(new Map(ids.map((id) => [id, a.id])))
    const b = store.insert({ title: 'b', content: 'b', domain: null, source: null }, chunksOf(2, 'b'))
    const bIds = db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ?').pluck().all(b.id) as number[]
    expect(map.nodesOf(bIds)).toEqual(new Map(bIds.map((id) => [id, b.id])))
    // Read by the sync (the chunks above the highest known), not one by one.
    expect(map.rowsRead).toBe(3)
    db.close()
  })
})
