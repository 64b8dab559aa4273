import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Db } from '../db/database'
import { useTempDirs } from '../test-support/temp-dir'
import { fineSimilarity, quantizeFine, vectorLength } from './fine-codes'
import { BLOCK_SLOTS, createSignIndex } from './sign-index'
import { createKnowledgeStore } from './knowledge-store'
import { fineBlocksDisagree } from './test-support/fine-blocks'
import { vectorTestDb } from './test-support/test-kit'
import { mulberry32 } from './mulberry32'
import { createVectorIndex, type Collection, type VectorIndex } from './vector-index'

const tempDir = useTempDirs()
const DIMENSION = 48

const testDb = vectorTestDb

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!
  return dot / (vectorLength(a) * vectorLength(b))
}

function randomVector(random: () => number): Float32Array {
  return Float32Array.from({ length: DIMENSION }, () => random() * 2 - 1)
}

/** 600 chunks (three blocks of slots) with random vectors; returns the vectors by chunk id. */
function fill(db: Db, index: VectorIndex, collection: Collection, nodes = 300): Map<number, Float32Array> {
  const store = createKnowledgeStore(db)
  const random = mulberry32(5)
  const vectors = new Map<number, Float32Array>()
  for (let n = 0; n < nodes; n++) {
    const node = store.insert({ title: `n${n}`, content: `node ${n}`, domain: null, source: null }, [
      { text: `a ${n}`, tokens: 2 },
      { text: `b ${n}`, tokens: 2 }
    ])
    const ids = db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ?').pluck().all(node.id) as number[]
    const rows = ids.map((chunkId) => ({ chunkId, vector: randomVector(random) }))
    for (const row of rows) vectors.set(row.chunkId, row.vector)
    index.put(collection, rows)
  }
  return vectors
}

/** The nearest by the index, compared with the exact cosine of every vector it was given. */
function agreesWithExact(
  index: VectorIndex,
  collection: Collection,
  vectors: Map<number, Float32Array>,
  seed: number
): void {
  const query = randomVector(mulberry32(seed))
  const hits = index.nearest(collection, query, 5)
  for (const hit of hits) expect(Math.abs(hit.similarity - cosine(query, vectors.get(hit.chunkId)!))).toBeLessThan(0.01)
  // Every candidate is scored (600 chunks, 100 candidates is not all), so compare with the exact order among what was found.
  const exact = index.nearestExact(collection, query, 5).map((h) => h.chunkId)
  expect(hits.map((h) => h.chunkId).filter((id) => exact.includes(id)).length).toBeGreaterThanOrEqual(4)
}

describe('fine codes', () => {
  // Each int8 is off by at most half a step (the largest coordinate / 254), so the cosine is off by at most √d / 254.
  it('give a cosine similarity within √d / 254 of the exact one for any vectors, and 0 for a zero vector (property)', () => {
    const vector = fc.float32Array({
      minLength: DIMENSION,
      maxLength: DIMENSION,
      min: -4,
      max: 4,
      noNaN: true,
      noDefaultInfinity: true
    })
    fc.assert(
      fc.property(vector, vector, (a, b) => {
        const codes = new Int8Array(DIMENSION)
        const factor = quantizeFine(b, codes, 0)
        const similarity = fineSimilarity(a, vectorLength(a), codes, 0, factor)
        if (vectorLength(a) === 0 || vectorLength(b) === 0) expect(similarity).toBe(0)
        else expect(Math.abs(similarity - cosine(a, b))).toBeLessThanOrEqual(Math.sqrt(DIMENSION) / 254 + 1e-6)
      }),
      { numRuns: 300 }
    )
  })

  it('rank as the exact vectors do, live, after a restart before and after they are loaded, and after deletes move slots', () => {
    const dir = tempDir()
    let db = testDb(dir)
    let index = createVectorIndex(db)
    const collection = index.createActive({ id: 'test:random', dimension: DIMENSION })
    const vectors = fill(db, index, collection)
    agreesWithExact(index, collection, vectors, 1)
    expect(fineBlocksDisagree(db, collection.vecTable, DIMENSION)).toBeNull()
    expect(db.prepare(`SELECT count(*) FROM ${collection.vecTable}_fine`).pluck().get()).toBe(3)
    db.close()

    db = testDb(dir)
    index = createVectorIndex(db)
    // Not loaded yet: candidates are rescored from their rows; loaded: from memory; the same ranking either way.
    const before = index.nearest(collection, randomVector(mulberry32(2)), 5)
    while (index.warm(collection, 1));
    const after = index.nearest(collection, randomVector(mulberry32(2)), 5)
    expect(after.map((h) => h.chunkId)).toEqual(before.map((h) => h.chunkId))
    after.forEach((hit, i) => expect(Math.abs(hit.similarity - before[i]!.similarity)).toBeLessThan(0.01))

    // Deleting nodes moves the last slots into the holes: their fine codes follow, in memory and in the stored blocks.
    const store = createKnowledgeStore(db)
    const nodes = db.prepare('SELECT id FROM knowledge_nodes ORDER BY rowid LIMIT 40').pluck().all() as string[]
    for (const id of nodes) store.delete(id)
    const left = new Map(
      [...vectors].filter(([id]) => db.prepare(`SELECT 1 FROM ${collection.vecTable} WHERE chunk_id = ?`).get(id))
    )
    agreesWithExact(index, collection, left, 3)
    expect(fineBlocksDisagree(db, collection.vecTable, DIMENSION)).toBeNull()
    db.close()
  })

  it('of blocks stored before them are computed from the vector rows once, in the background, and stored', () => {
    const dir = tempDir()
    let db = testDb(dir)
    const index = createVectorIndex(db)
    const collection = index.createActive({ id: 'test:random', dimension: DIMENSION })
    const vectors = fill(db, index, collection)
    // As a database written before fine codes: its table is there (made on first use) but empty.
    db.exec(`DROP TABLE ${collection.vecTable}_fine`)
    db.close()

    db = testDb(dir)
    const reopened = createVectorIndex(db)
    agreesWithExact(reopened, collection, vectors, 4)
    let steps = 0
    while (reopened.warm(collection, 1)) steps++
    expect(steps).toBe(2)
    expect(db.prepare(`SELECT count(*) FROM ${collection.vecTable}_fine`).pluck().get()).toBe(3)
    expect(fineBlocksDisagree(db, collection.vecTable, DIMENSION)).toBeNull()
    agreesWithExact(reopened, collection, vectors, 5)
    // A pass with nothing left to do reads nothing and says so.
    expect(reopened.warm(collection, 1)).toBe(false)
    db.close()
  })

  it("of chunks put inside a caller's transaction are not stored until computed from the rows it committed", () => {
    const db = testDb(tempDir())
    const index = createVectorIndex(db)
    const collection = index.createActive({ id: 'test:random', dimension: DIMENSION })
    let vectors = new Map<number, Float32Array>()
    // The caller's transaction may yet roll back: its chunks' blocks get no fine rows, and their candidates are rescored from rows.
    db.transaction(() => (vectors = fill(db, index, collection, 20)))()
    expect(db.prepare(`SELECT count(*) FROM ${collection.vecTable}_fine`).pluck().get()).toBe(0)
    agreesWithExact(index, collection, vectors, 6)
    while (index.warm(collection, 1));
    expect(db.prepare(`SELECT count(*) FROM ${collection.vecTable}_fine`).pluck().get()).toBe(1)
    expect(fineBlocksDisagree(db, collection.vecTable, DIMENSION)).toBeNull()
    agreesWithExact(index, collection, vectors, 7)
    db.close()
  })

  it('follow their ids through any adds, replacements (with or without one) and removals, and a block is stored only whole (property)', () => {
    const FINE = 3
    const id = fc.integer({ min: 0, max: 700 })
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('upsert' as const),
        entries: fc.array(fc.record({ id, fine: fc.boolean() }), { maxLength: 400 })
      }),
      fc.record({ kind: fc.constant('remove' as const), ids: fc.array(id, { maxLength: 200 }) })
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 10 }), (ops) => {
        const index = createSignIndex(1, { fineDimension: FINE })
        // Each id's fine code is derived from the id, so a slot shows whose it holds; NaN where it was given none.
        const model = new Map<number, number>()
        const fineOf = (i: number): { factor: number; codes: Int8Array } => ({
          factor: i,
          codes: Int8Array.of(i % 127, -(i % 97), 7)
        })
        for (const step of ops) {
          if (step.kind === 'upsert') {
            index.upsert(
              step.entries.map((e) =>
                e.fine
                  ? { id: e.id, code: Uint32Array.of(e.id), fine: fineOf(e.id) }
                  : { id: e.id, code: Uint32Array.of(e.id) }
              )
            )
            for (const e of step.entries) model.set(e.id, e.fine ? e.id : NaN)
          } else {
            index.remove(new Set(step.ids))
            for (const i of step.ids) model.delete(i)
          }
        }
        expect(index.size).toBe(model.size)
        const { codes, factors } = index.fine
        for (let slot = 0; slot < index.size; slot++) {
          const held = index.idAt(slot)
          expect(factors[slot]).toEqual(model.get(held))
          if (!Number.isNaN(factors[slot]!))
            expect([...codes.subarray(slot * FINE, slot * FINE + FINE)]).toEqual([...fineOf(held).codes])
        }
        for (let b = 0; b < index.blocks; b++) {
          const slots = Array.from(
            { length: Math.min(BLOCK_SLOTS, index.size - b * BLOCK_SLOTS) },
            (_, k) => b * BLOCK_SLOTS + k
          )
          const whole = slots.every((slot) => !Number.isNaN(factors[slot]!))
          const block = index.fineBlock(b)
          expect(block !== null).toBe(whole)
          if (block) expect([...block.ids]).toEqual(slots.map((slot) => index.idAt(slot)))
        }
      }),
      { numRuns: 150 }
    )
  })
})
