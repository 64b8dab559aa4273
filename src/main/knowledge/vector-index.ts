import type { Db } from '../db/database'
import type { EmbeddingModel } from '../ports/embedder'
import { KnowledgeError } from './knowledge-error'

export interface Collection {
  readonly id: number
  readonly modelId: string
  readonly dimension: number
  readonly state: 'active' | 'building'
  readonly vecTable: string
  readonly createdAt: string
}

export interface VectorRow {
  readonly chunkId: number
  readonly vector: Float32Array
}

export interface VectorHit {
  readonly chunkId: number
  /** Cosine similarity, 1 = same direction. */
  readonly similarity: number
}

export interface VectorIndex {
  active(): Collection | null
  building(): Collection | null
  /** The collection for a model when none is active yet; it becomes the active one. */
  createActive(model: EmbeddingModel): Collection
  /** Starts (or restarts) a building collection for a model: a re-embed. */
  startBuilding(model: EmbeddingModel): Collection
  /** Makes the building collection the active one and drops the old; vectors of two models are never searched together. */
  promote(): Collection
  put(collection: Collection, rows: readonly VectorRow[]): void
  /** Chunks of the knowledge base that have no vector in this collection yet, oldest first. */
  missing(collection: Collection, limit: number): { id: number; text: string }[]
  embeddedCount(collection: Collection): number
  nearest(collection: Collection, query: Float32Array, k: number): VectorHit[]
}

interface CollectionRow {
  id: number
  model_id: string
  dimension: number
  state: 'active' | 'building'
  vec_table: string
  created_at: string
}

/**
 * Above this many vectors a query first ranks by sign bits (96 bytes per
 * 768-dim vector instead of 3 KiB), then rescores the best candidates
 * exactly; below it an exact scan is already fast. See bench/kb-bench.ts.
 */
export const COARSE_THRESHOLD = 20_000
export const COARSE_OVERSAMPLE = 20

/**
 * sqlite-vec collections, one vec0 table per embedding model, each with its
 * dimension fixed at creation. The caller must have loaded sqlite-vec into
 * the connection (see load-vector-extension.ts).
 */
export function createVectorIndex(db: Db, clock: { now: () => Date } = { now: () => new Date() }): VectorIndex {
  const byState = db.prepare('SELECT * FROM knowledge_collections WHERE state = ?')
  const read = (state: 'active' | 'building'): Collection | null => {
    const found = byState.get(state) as CollectionRow | undefined
    return found ? toCollection(found) : null
  }

  const create = (model: EmbeddingModel, state: 'active' | 'building'): Collection => {
    if (!Number.isInteger(model.dimension) || model.dimension <= 0 || model.dimension > 8192) {
      throw new KnowledgeError('invalid_input', `The embedding model ${model.id} reports dimension ${model.dimension}; a collection needs a whole number from 1 to 8192.`)
    }
    const { next } = db.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS next FROM knowledge_collections').get() as { next: number }
    const vecTable = `knowledge_vec_${next}`
    const coarse = model.dimension % 8 === 0 ? `, coarse bit[${model.dimension}]` : ''
    db.exec(`CREATE VIRTUAL TABLE ${vecTable} USING vec0 (embedding float[${model.dimension}] distance_metric=cosine${coarse})`)
    db.exec(`CREATE TRIGGER ${vecTable}_follow AFTER DELETE ON knowledge_chunks BEGIN DELETE FROM ${vecTable} WHERE rowid = old.id; END`)
    db.prepare('INSERT INTO knowledge_collections (id, model_id, dimension, state, vec_table, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      next,
      model.id,
      model.dimension,
      state,
      vecTable,
      clock.now().toISOString()
    )
    return read(state)!
  }

  const drop = (collection: Collection): void => {
    db.exec(`DROP TRIGGER IF EXISTS ${collection.vecTable}_follow`)
    db.exec(`DROP TABLE IF EXISTS ${collection.vecTable}`)
    db.prepare('DELETE FROM knowledge_collections WHERE id = ?').run(collection.id)
  }

  // vec0 keeps its rowids in a plain shadow table; reading that one is a
  // b-tree lookup, where asking vec0 itself would scan its vector chunks.
  const embeddedCount = (collection: Collection): number => (db.prepare(`SELECT count(*) AS n FROM ${collection.vecTable}_rowids`).get() as { n: number }).n

  return {
    active: () => read('active'),
    building: () => read('building'),
    createActive: db.transaction((model: EmbeddingModel) => {
      const existing = read('active')
      if (existing) throw new KnowledgeError('conflict', `The knowledge base already has an active collection (${existing.modelId}, ${existing.dimension} dimensions); re-embed to change it.`)
      return create(model, 'active')
    }),
    startBuilding: db.transaction((model: EmbeddingModel) => {
      const old = read('building')
      if (old) drop(old)
      return create(model, 'building')
    }),
    promote: db.transaction(() => {
      const building = read('building')
      if (!building) throw new KnowledgeError('not_found', 'There is no re-embed under way to finish.')
      const active = read('active')
      if (active) drop(active)
      db.prepare("UPDATE knowledge_collections SET state = 'active' WHERE id = ?").run(building.id)
      return read('active')!
    }),
    put(collection, rows) {
      for (const row of rows) {
        if (row.vector.length !== collection.dimension) {
          throw new KnowledgeError(
            'dimension_mismatch',
            `A vector of ${row.vector.length} numbers was given for chunk ${row.chunkId}, but the collection of ${collection.modelId} holds ${collection.dimension}-number vectors. ` +
              'Vectors of two models are never mixed: re-embed the knowledge base with the new model instead.'
          )
        }
        if (!row.vector.every(Number.isFinite)) throw new KnowledgeError('invalid_input', `The vector for chunk ${row.chunkId} holds a NaN or an infinite number; the embedding model answered with garbage.`)
      }
      const insert = db.prepare(
        collection.dimension % 8 === 0
          ? `INSERT INTO ${collection.vecTable} (rowid, embedding, coarse) VALUES (?, ?, vec_quantize_binary(?))`
          : `INSERT INTO ${collection.vecTable} (rowid, embedding) VALUES (?, ?)`
      )
      const remove = db.prepare(`DELETE FROM ${collection.vecTable} WHERE rowid = ?`)
      const exists = db.prepare('SELECT 1 FROM knowledge_chunks WHERE id = ?')
      db.transaction(() => {
        for (const row of rows) {
          // A chunk deleted while its batch was at the model is simply skipped.
          if (!exists.get(row.chunkId)) continue
          // vec0 has no upsert, so a re-put deletes first.
          remove.run(BigInt(row.chunkId))
          if (collection.dimension % 8 === 0) insert.run(BigInt(row.chunkId), row.vector, row.vector)
          else insert.run(BigInt(row.chunkId), row.vector)
        }
      })()
    },
    missing(collection, limit) {
      return db
        .prepare(`SELECT c.id, c.text FROM knowledge_chunks c WHERE NOT EXISTS (SELECT 1 FROM ${collection.vecTable}_rowids r WHERE r.rowid = c.id) ORDER BY c.id LIMIT ?`)
        .all(limit) as { id: number; text: string }[]
    },
    embeddedCount,
    nearest(collection, query, k) {
      if (query.length !== collection.dimension) {
        throw new KnowledgeError(
          'dimension_mismatch',
          `The query vector has ${query.length} numbers, but the collection of ${collection.modelId} holds ${collection.dimension}-number vectors; re-embed the knowledge base with the current model.`
        )
      }
      const limit = Math.max(1, Math.min(4096, Math.floor(k)))
      const count = embeddedCount(collection)
      if (collection.dimension % 8 === 0 && count > COARSE_THRESHOLD) {
        const candidates = db
          .prepare(`SELECT rowid FROM ${collection.vecTable} WHERE coarse MATCH vec_quantize_binary(?) AND k = ?`)
          .all(query, Math.min(4096, limit * COARSE_OVERSAMPLE)) as { rowid: number }[]
        if (candidates.length === 0) return []
        const rescored = db
          .prepare(`SELECT rowid, vec_distance_cosine(embedding, ?) AS distance FROM ${collection.vecTable} WHERE rowid IN (${candidates.map(() => '?').join(',')})`)
          .all(query, ...candidates.map((c) => c.rowid)) as { rowid: number; distance: number }[]
        return rescored
          .sort((a, b) => a.distance - b.distance)
          .slice(0, limit)
          .map((r) => ({ chunkId: r.rowid, similarity: 1 - r.distance }))
      }
      const rows = db.prepare(`SELECT rowid, distance FROM ${collection.vecTable} WHERE embedding MATCH ? AND k = ?`).all(query, limit) as { rowid: number; distance: number }[]
      return rows.map((r) => ({ chunkId: r.rowid, similarity: 1 - r.distance }))
    }
  }
}

function toCollection(r: CollectionRow): Collection {
  return { id: r.id, modelId: r.model_id, dimension: r.dimension, state: r.state, vecTable: r.vec_table, createdAt: r.created_at }
}
