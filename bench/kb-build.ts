import type { Db } from '../src/main/db/database'
import { createFullTextMerger } from '../src/main/knowledge/fts-merge'
import type { KnowledgeStore } from '../src/main/knowledge/knowledge-store'
import type { VectorIndex } from '../src/main/knowledge/vector-index'
import type { Corpus } from './kb-corpus'
import { CHUNKS_PER_NODE, DIMENSION, JSON_OUTPUT, TEXT_BATCH_NODES, VECTOR_BATCH } from './kb-options'
import { time } from './kb-timing'

/** One batch of texts as nodes of CHUNKS_PER_NODE chunks, in one transaction as an import writes them; their nodes' ids. */
function insertBatch(db: Db, store: KnowledgeStore, texts: readonly string[], first: number): string[] {
  return db.transaction(() => {
    const made: string[] = []
    for (let n = 0; n < texts.length; n += CHUNKS_PER_NODE) {
      const slice = texts.slice(n, n + CHUNKS_PER_NODE)
      made.push(
        store.insert(
          { title: `Synthetic ${first + n}`, content: slice.join('\n\n'), domain: null, source: null },
          slice.map((text) => ({ text, tokens: 60 }))
        ).id
      )
    }
    return made
  })()
}

/**
 * Builds a size's database: text first, as an import does (chunks + FTS5, no embeddings), then the vectors in the
 * embedding worker's way: batches. `before`, a second database as it was before this session's changes to ingest
 * (random node ids, FTS5's default merging, no summary index), gets the same text batch by batch, the order
 * alternating, so the two ingest rates meet the same machine; it gets no vectors.
 */
export function build(
  db: Db,
  store: KnowledgeStore,
  coarse: VectorIndex,
  corpus: Corpus,
  chunks: number,
  before: { db: Db; store: KnowledgeStore } | null
): { textMs: number; textBeforeMs: number | null; vectorMs: number; slowestVectorBatchMs: number } {
  const collection = coarse.createActive({ id: 'bench:synthetic', dimension: DIMENSION })
  let textMs = 0
  let textBeforeMs = 0
  const chunkIds: number[] = []
  const idsOf = db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ? ORDER BY ordinal').pluck()
  for (let first = 0; first < chunks; first += TEXT_BATCH_NODES * CHUNKS_PER_NODE) {
    const count = Math.min(TEXT_BATCH_NODES * CHUNKS_PER_NODE, chunks - first)
    const texts = Array.from({ length: count }, (_, i) => corpus.text(first + i))
    const beforeFirst = (first / (TEXT_BATCH_NODES * CHUNKS_PER_NODE)) % 2 === 1
    if (before && beforeFirst) textBeforeMs += time(() => insertBatch(before.db, before.store, texts, first))[1]
    const [nodes, ms] = time(() => insertBatch(db, store, texts, first))
    textMs += ms
    if (before && !beforeFirst) textBeforeMs += time(() => insertBatch(before.db, before.store, texts, first))[1]
    for (const node of nodes) chunkIds.push(...(idsOf.all(node) as number[]))
  }
  let vectorMs = 0
  let slowestVectorBatchMs = 0
  for (let first = 0; first < chunks; first += VECTOR_BATCH) {
    const rows = chunkIds
      .slice(first, first + VECTOR_BATCH)
      .map((chunkId, i) => ({ chunkId, vector: corpus.vector(first + i) }))
    const batchMs = time(() => coarse.put(collection, rows))[1]
    vectorMs += batchMs
    slowestVectorBatchMs = Math.max(slowestVectorBatchMs, batchMs)
    if (!JSON_OUTPUT && (first / VECTOR_BATCH) % 50 === 0)
      process.stderr.write(`\r${chunks}: vectors ${first + rows.length}`)
  }
  if (!JSON_OUTPUT) process.stderr.write('\n')
  return { textMs, textBeforeMs: before ? textBeforeMs : null, vectorMs, slowestVectorBatchMs }
}

/** The full-text index's segments merged into one, as the app does in the background after an import (fts-merge.ts): ms, or null when nothing was due. */
export function mergeFullText(db: Db): number | null {
  const merger = createFullTextMerger(db)
  const [steps, ms] = time(() => {
    let count = 0
    while (merger.step()) count++
    return count
  })
  return steps > 0 ? Math.round(ms) : null
}
