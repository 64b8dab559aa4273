import type { Db } from '../db/database'
import type { EmbeddingModel } from '../ports/embedder'
import { KnowledgeError } from './knowledge-error'
import { createCodeStore } from './code-store'
import { fineSimilarity, quantizeFine, vectorLength } from './fine-codes'
import { signBits } from './sign-bits'
import type { FineCode } from './fine-slots'
import type { SignIndex } from './sign-index'

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
  /** Chunks of the knowledge base with an id above `after` that have no vector in this collection yet, in id order. */
  missing(collection: Collection, limit: number, after?: number): { id: number; text: string }[]
  embeddedCount(collection: Collection): number
  /** The k nearest chunks: sign-bit candidates rescored by their fine codes, or exactly from their rows until those are loaded. */
  nearest(collection: Collection, query: Float32Array, k: number): VectorHit[]
  /** Loads or computes the fine codes of up to `maxBlocks` blocks of the collection; false when a pass is complete. */
  warm(collection: Collection, maxBlocks: number): boolean
  /** The k nearest by an exact scan of every vector: the reference the benchmark measures recall against. */
  nearestExact(collection: Collection, query: Float32Array, k: number): VectorHit[]
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
 * Candidates taken from the sign bits before exact rescoring: at least
 * MIN_CANDIDATES, or OVERSAMPLE per wanted hit; recall@10 against exact
 * search is measured in bench/kb.ts.
 */
export const MIN_CANDIDATES = 100
export const OVERSAMPLE = 4

export interface VectorIndexOptions {
  readonly now?: () => Date
  readonly minCandidates?: number
  /** From how many codes the sign codes are partitioned, and how many lists a search probes (sign-index.ts); tests change them. */
  readonly partitionFrom?: number
  readonly probe?: number
}

/**
 * Embedding collections, one table per model with its dimension fixed (and
 * checked by the table itself) at creation. Vectors are float32 blobs in
 * SQLite; a search ranks the in-memory sign bits of every vector, then
 * rescores the best candidates exactly with sqlite-vec's cosine distance.
 * The codes are kept in memory and in their own blocks (code-store.ts), each
 * change written in the transaction of the vectors it follows, so neither a
 * start nor a delete reads the vectors again (bench/kb.ts).
 */
export function createVectorIndex(db: Db, options: VectorIndexOptions = {}): VectorIndex {
  const now = options.now ?? (() => new Date())
  const minCandidates = options.minCandidates ?? MIN_CANDIDATES
  const byState = db.prepare('SELECT * FROM knowledge_collections WHERE state = ?')
  const memory = new Map<number, SignIndex>()
  const stored = createCodeStore(db, {
    ...(options.partitionFrom === undefined ? {} : { partitionFrom: options.partitionFrom }),
    ...(options.probe === undefined ? {} : { probe: options.probe })
  })

  const read = (state: 'active' | 'building'): Collection | null => {
    const found = byState.get(state) as CollectionRow | undefined
    return found ? toCollection(found) : null
  }

  const create = (model: EmbeddingModel, state: 'active' | 'building'): Collection => {
    if (!Number.isInteger(model.dimension) || model.dimension <= 0 || model.dimension > 8192) {
      throw new KnowledgeError(
        'invalid_input',
        `The embedding model ${model.id} reports dimension ${model.dimension}; a collection needs a whole number from 1 to 8192.`
      )
    }
    const { next } = db.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS next FROM knowledge_collections').get() as {
      next: number
    }
    const vecTable = `knowledge_vec_${next}`
    db.exec(`CREATE TABLE ${vecTable} (
      chunk_id  INTEGER PRIMARY KEY REFERENCES knowledge_chunks (id) ON DELETE CASCADE,
      embedding BLOB NOT NULL CHECK (length(embedding) = ${model.dimension * 4}),
      bits      BLOB NOT NULL
    ) STRICT`)
    // Rows are a page each (3 KiB vectors), so count(*) would read them all; this index is a few bytes a row.
    db.exec(`CREATE INDEX ${vecTable}_ids ON ${vecTable} (chunk_id)`)
    stored.create(vecTable)
    db.prepare(
      'INSERT INTO knowledge_collections (id, model_id, dimension, state, vec_table, created_at) VALUES (?, ?, ?, ?, ?, ?)'
    ).run(next, model.id, model.dimension, state, vecTable, now().toISOString())
    return read(state)!
  }

  const drop = (collection: Collection): void => {
    db.exec(`DROP TABLE IF EXISTS ${collection.vecTable}`)
    stored.drop(collection.vecTable)
    db.prepare('DELETE FROM knowledge_collections WHERE id = ?').run(collection.id)
    memory.delete(collection.id)
  }

  /** The collection's codes in memory, with the chunks deleted since the last search dropped. */
  const codesOf = (collection: Collection): SignIndex => {
    const cached = memory.get(collection.id)
    if (cached) {
      try {
        stored.applyDeletes(collection.vecTable, cached)
      } catch (error) {
        // Not written (a full disk): memory may be ahead of the blocks, so it is read afresh next time.
        memory.delete(collection.id)
        throw error
      }
      return cached
    }
    const index = stored.load(collection.vecTable, Math.ceil(collection.dimension / 32), collection.dimension)
    memory.set(collection.id, index)
    return index
  }

  const checkQuery = (collection: Collection, query: Float32Array): void => {
    if (query.length !== collection.dimension) {
      throw new KnowledgeError(
        'dimension_mismatch',
        `The query vector has ${query.length} numbers, but the collection of ${collection.modelId} holds ${collection.dimension}-number vectors; re-embed the knowledge base with the current model.`
      )
    }
  }

  const rescore = (
    collection: Collection,
    query: Float32Array,
    ids: readonly number[],
    k: number
  ): { hits: VectorHit[]; found: Set<number> } => {
    if (ids.length === 0) return { hits: [], found: new Set() }
    const rows = db
      .prepare(
        `SELECT chunk_id, vec_distance_cosine(embedding, ?) AS distance FROM ${collection.vecTable} WHERE chunk_id IN (SELECT value FROM json_each(?))`
      )
      .all(query, JSON.stringify(ids)) as { chunk_id: number; distance: number }[]
    rows.sort((a, b) => a.distance - b.distance || a.chunk_id - b.chunk_id)
    return {
      hits: rows.slice(0, k).map((r) => ({ chunkId: r.chunk_id, similarity: 1 - r.distance })),
      found: new Set(rows.map((r) => r.chunk_id))
    }
  }

  return {
    active: () => read('active'),
    building: () => read('building'),
    createActive: db.transaction((model: EmbeddingModel) => {
      const existing = read('active')
      if (existing)
        throw new KnowledgeError(
          'conflict',
          `The knowledge base already has an active collection (${existing.modelId}, ${existing.dimension} dimensions); re-embed to change it.`
        )
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
        if (!row.vector.every(Number.isFinite))
          throw new KnowledgeError(
            'invalid_input',
            `The vector for chunk ${row.chunkId} holds a NaN or an infinite number; the embedding model answered with garbage.`
          )
      }
      const upsert =
        db.prepare(`INSERT INTO ${collection.vecTable} (chunk_id, embedding, bits) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM knowledge_chunks WHERE id = ?)
        ON CONFLICT (chunk_id) DO UPDATE SET embedding = excluded.embedding, bits = excluded.bits`)
      const codes = codesOf(collection)
      try {
        const added: { id: number; code: Uint32Array; fine?: FineCode }[] = []
        // Inside a caller's transaction, which may yet roll back, the chunks get no fine codes: their candidates are
        // rescored from their rows, which tells whether they are there, and their fine codes are computed later from them.
        const nested = db.inTransaction
        db.transaction(() => {
          for (const row of rows) {
            const code = signBits(row.vector)
            const fineCodes = new Int8Array(collection.dimension)
            const fine = nested ? undefined : { factor: quantizeFine(row.vector, fineCodes, 0), codes: fineCodes }
            // A chunk deleted while its batch was at the model is simply skipped.
            const { changes } = upsert.run(
              row.chunkId,
              Buffer.from(row.vector.buffer, row.vector.byteOffset, row.vector.byteLength),
              Buffer.from(code.buffer),
              row.chunkId
            )
            if (changes > 0) added.push(fine ? { id: row.chunkId, code, fine } : { id: row.chunkId, code })
          }
          codes.upsert(added)
          stored.persist(collection.vecTable, codes)
        })()
      } catch (error) {
        // Memory may hold what the rolled-back transaction did not: it is read afresh from the blocks next time.
        memory.delete(collection.id)
        throw error
      }
    },
    missing(collection, limit, after = 0) {
      return db
        .prepare(
          `SELECT c.id, c.text FROM knowledge_chunks c WHERE c.id > ? AND NOT EXISTS (SELECT 1 FROM ${collection.vecTable} v WHERE v.chunk_id = c.id) ORDER BY c.id LIMIT ?`
        )
        .all(after, limit) as { id: number; text: string }[]
    },
    embeddedCount: (collection) =>
      (db.prepare(`SELECT count(*) AS n FROM ${collection.vecTable}`).get() as { n: number }).n,
    nearest(collection, query, k) {
      checkQuery(collection, query)
      const limit = Math.max(1, Math.min(4096, Math.floor(k)))
      const codes = codesOf(collection)
      const slots = codes.nearestSlots(
        signBits(query),
        Math.min(codes.size, Math.max(minCandidates, limit * OVERSAMPLE))
      )
      // Candidates with fine codes are scored in memory; the rest (before the background has loaded theirs) from their rows.
      const { codes: fine, factors } = codes.fine
      const queryLength = vectorLength(query)
      const scored: VectorHit[] = []
      const candidates: number[] = []
      for (const slot of slots) {
        const factor = factors[slot]!
        if (Number.isNaN(factor)) candidates.push(codes.idAt(slot))
        else
          scored.push({
            chunkId: codes.idAt(slot),
            similarity: fineSimilarity(query, queryLength, fine, slot * codes.fineDimension, factor)
          })
      }
      const { hits: read, found } = rescore(collection, query, candidates, limit)
      const hits = [...scored, ...read]
        .sort((a, b) => b.similarity - a.similarity || a.chunkId - b.chunkId)
        .slice(0, limit)
      // Codes of rows that are not there (a transaction around a put rolled back after it): dropped, from memory and blocks.
      if (found.size < candidates.length) {
        db.transaction(() => {
          codes.remove(new Set(candidates.filter((id) => !found.has(id))))
          stored.persist(collection.vecTable, codes)
        })()
      }
      return hits
    },
    warm(collection, maxBlocks) {
      return stored.warmFine(collection.vecTable, codesOf(collection), maxBlocks)
    },
    nearestExact(collection, query, k) {
      checkQuery(collection, query)
      const rows = db
        .prepare(
          `SELECT chunk_id, vec_distance_cosine(embedding, ?) AS distance FROM ${collection.vecTable} ORDER BY distance, chunk_id LIMIT ?`
        )
        .all(query, Math.max(1, Math.floor(k))) as { chunk_id: number; distance: number }[]
      return rows.map((r) => ({ chunkId: r.chunk_id, similarity: 1 - r.distance }))
    }
  }
}

function toCollection(r: CollectionRow): Collection {
  return {
    id: r.id,
    modelId: r.model_id,
    dimension: r.dimension,
    state: r.state,
    vecTable: r.vec_table,
    createdAt: r.created_at
  }
}
