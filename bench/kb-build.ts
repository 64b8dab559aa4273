import type { Db } from '../src/main/db/database'
import { createFullTextMerger } from '../src/main/knowledge/fts-merge'
import type { KnowledgeStore } from '../src/main/knowledge/knowledge-store'
import type { VectorIndex } from '../src/main/knowledge/vector-index'
import type { Corpus } from './kb-corpus'
import { CHUNKS_PER_NODE, DIMENSION, JSON_OUTPUT, TEXT_BATCH_NODES, VECTOR_BATCH } from './kb-options'
import { time } from './kb-timing'

export /** Builds a size's database: text first, as an import does (chunks + FTS5, no embeddings), then the vectors in the embedding worker's way: batches. */
function build(
  db: Db,
  store: KnowledgeStore,
  coarse: VectorIndex,
  corpus: Corpus,
  chunks: number
): { textMs: number; vectorMs: number; slowestVectorBatchMs: number } {
  const collection = coarse.createActive({ id: 'bench:synthetic', dimension: DIMENSION })
  let textMs = 0
  const chunkIds: number[] = []
  const idsOf = db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ? ORDER BY ordinal').pluck()
  for (let first = 0; first < chunks; first += TEXT_BATCH_NODES * CHUNKS_PER_NODE) {
    const count = Math.min(TEXT_BATCH_NODES * CHUNKS_PER_NODE, chunks - first)
    const texts = Array.from({ length: count }, (_, i) => corpus.text(first + i))
    const started = performance.now()
    const nodes = db.transaction(() => {
      const made: string[] = []
      for (let n = 0; n < count; n += CHUNKS_PER_NODE) {
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
    textMs += performance.now() - started
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
  return { textMs, vectorMs, slowestVectorBatchMs }
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
