import { describe, expect, it } from 'vitest'
import type { Db } from '../db/database'
import { useTempDirs } from '../test-support/temp-dir'
import { createKnowledgeStore } from './knowledge-store'
import { vectorTestDb } from './test-support/test-kit'
import { LISTS } from './sign-partitions'
import { createVectorIndex, type Collection, type VectorIndex } from './vector-index'

const tempDir = useTempDirs()
const DIMENSION = 64

const testDb = vectorTestDb

/** A unit vector that points mostly along axis `axis`, with a little of its neighbour. */
function vectorNear(axis: number, tilt: number): Float32Array {
  const v = new Float32Array(DIMENSION).fill(-0.01)
  v[axis % DIMENSION] = 1
  v[(axis + 1) % DIMENSION] = tilt
  return v
}

function setUp(
  db: Db,
  nodes: number,
  partitionFrom = 0
): { index: VectorIndex; collection: Collection; nodeIds: string[] } {
  const store = createKnowledgeStore(db)
  const index = createVectorIndex(db, { partitionFrom })
  const collection = index.active() ?? index.createActive({ id: 'test:axes', dimension: DIMENSION })
  const nodeIds: string[] = []
  for (let n = 0; n < nodes; n++) {
    const node = store.insert({ title: `n${n}`, content: `node ${n}`, domain: null, source: null }, [
      { text: `a ${n}`, tokens: 2 },
      { text: `b ${n}`, tokens: 2 }
    ])
    nodeIds.push(node.id)
    const ids = db
      .prepare('SELECT id FROM knowledge_chunks WHERE node_id = ? ORDER BY ordinal')
      .pluck()
      .all(node.id) as number[]
    index.put(
      collection,
      ids.map((chunkId, k) => ({ chunkId, vector: vectorNear(n + k * 7, 0.3) }))
    )
  }
  return { index, collection, nodeIds }
}

const nearestIds = (index: VectorIndex, collection: Collection, axis: number): number[] =>
  index.nearest(collection, vectorNear(axis, 0.3), 5).map((h) => h.chunkId)

describe('persisted sign codes', () => {
  it('survive a restart: a new process searches from the stored blocks, not the vector rows', () => {
    const dir = tempDir()
    const db = testDb(dir)
    const { index, collection } = setUp(db, 300)
    const before = nearestIds(index, collection, 42)
    db.close()
    const reopened = testDb(dir)
    // Spoil the per-row copies: a start that read them would rank garbage.
    reopened.prepare(`UPDATE ${collection.vecTable} SET bits = zeroblob(length(bits))`).run()
    const again = createVectorIndex(reopened)
    expect(nearestIds(again, again.active()!, 42)).toEqual(before)
    reopened.close()
  })

  it('follow deletes and replacements incrementally, and equal a rebuild from the vectors after a restart', () => {
    const dir = tempDir()
    const db = testDb(dir)
    const { index, collection, nodeIds } = setUp(db, 600)
    const store = createKnowledgeStore(db)
    for (const id of nodeIds.filter((_, i) => i % 3 === 0)) store.delete(id)
    // A replaced vector: a chunk of node 1 now points where no other does.
    const replaced = db
      .prepare('SELECT id FROM knowledge_chunks WHERE node_id = ? ORDER BY ordinal')
      .pluck()
      .get(nodeIds[1]) as number
    const apart = Float32Array.from({ length: DIMENSION }, (_, i) => (i % 2 ? 1 : -1))
    index.put(collection, [{ chunkId: replaced, vector: apart }])
    expect(index.nearest(collection, apart, 1)[0]).toMatchObject({
      chunkId: replaced,
      similarity: expect.closeTo(1, 5)
    })
    const incremental = [5, 17, 42, 50, 63].map((axis) => nearestIds(index, collection, axis))
    expect(incremental.flat()).not.toContain(undefined)
    const alive = new Set(db.prepare(`SELECT chunk_id FROM ${collection.vecTable}`).pluck().all() as number[])
    for (const id of incremental.flat()) expect(alive.has(id)).toBe(true)
    expect(db.prepare(`SELECT count(*) FROM ${collection.vecTable}_gone`).pluck().get()).toBe(0)
    db.close()

    const reopened = testDb(dir)
    const loaded = createVectorIndex(reopened)
    expect([5, 17, 42, 50, 63].map((axis) => nearestIds(loaded, loaded.active()!, axis))).toEqual(incremental)
    // The reference: codes rebuilt from every vector row, as before the blocks existed.
    reopened.exec(`DROP TABLE ${collection.vecTable}_codes`)
    const rebuilt = createVectorIndex(reopened)
    expect([5, 17, 42, 50, 63].map((axis) => nearestIds(rebuilt, rebuilt.active()!, axis))).toEqual(incremental)
    reopened.close()
  })

  it('of a collection stored before partitions are partitioned at the next start, written once, and find the same', () => {
    const dir = tempDir()
    const db = testDb(dir)
    const { index, collection } = setUp(db, 300, Number.MAX_SAFE_INTEGER)
    const before = [5, 17, 42].map((axis) => nearestIds(index, collection, axis))
    // The layout of the previous version: no lists column, no centroids.
    db.exec(`ALTER TABLE ${collection.vecTable}_codes DROP COLUMN lists; DROP TABLE ${collection.vecTable}_centroids`)
    db.close()
    const reopened = testDb(dir)
    const loaded = createVectorIndex(reopened, { partitionFrom: 0, probe: LISTS })
    expect([5, 17, 42].map((axis) => nearestIds(loaded, loaded.active()!, axis))).toEqual(before)
    const unlisted = `SELECT count(*) FROM ${collection.vecTable}_codes WHERE lists IS NULL`
    expect(reopened.prepare(unlisted).pluck().get()).toBe(0)
    expect(reopened.prepare(`SELECT count(*) FROM ${collection.vecTable}_centroids`).pluck().get()).toBe(1)
    reopened.close()
  })

  it('stay with the vectors when the transaction writing both is torn: nothing of a rolled-back put is searched, before or after a restart', () => {
    const dir = tempDir()
    const db = testDb(dir)
    const { index, collection } = setUp(db, 50)
    const store = createKnowledgeStore(db)
    const node = store.insert({ title: 'late', content: 'late', domain: null, source: null }, [
      { text: 'late', tokens: 1 }
    ])
    const chunkId = db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ?').pluck().get(node.id) as number
    expect(() =>
      db.transaction(() => {
        index.put(collection, [{ chunkId, vector: vectorNear(30, 0.9) }])
        throw new Error('the disk went away mid-write')
      })()
    ).toThrow(/disk went away/)
    expect(nearestIds(index, collection, 30)).not.toContain(chunkId)
    // A later put rewrites the block that held the rolled-back code; it must not carry it into the stored blocks.
    index.put(collection, [{ chunkId, vector: vectorNear(31, 0.9) }])
    index.put(collection, [{ chunkId, vector: vectorNear(30, 0.9) }])
    db.prepare('DELETE FROM knowledge_nodes WHERE id = ?').run(node.id)
    expect(nearestIds(index, collection, 30)).not.toContain(chunkId)
    db.close()
    const reopened = testDb(dir)
    const loaded = createVectorIndex(reopened)
    expect(nearestIds(loaded, loaded.active()!, 30)).not.toContain(chunkId)
    expect(reopened.prepare(`SELECT count(*) FROM ${collection.vecTable}`).pluck().get()).toBe(100)
    reopened.close()
  })
})
