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
  fc.constant({ kind: 'check' as const })
)

function truth(db: Db): Map<number, string> {
  return new Map(db.prepare('SELECT id, node_id FROM knowledge_chunks').raw().all() as [number, string][])
}

function chunksOf(n: number, label: string): { text: string; tokens: number }[] {
  return Array.from({ length: n }, (_, i) => ({ text: `${label} part ${i}`, tokens: 3 }))
}

describe('each chunk’s node in memory', () => {
  it('names the same node as the chunk rows after any adds, deletes, replacements and trims, by this connection or another process’s (property)', () => {
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
              case 'check':
                check()
                if (!map.loaded) map.load()
                break
            }
          }
          check()
        } finally {
          other.close()
          db.close()
        }
      }),
      { numRuns: 60 }
    )
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
