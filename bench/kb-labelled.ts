import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createKnowledgeStore } from '../src/main/knowledge/knowledge-store'
import { createVectorIndex } from '../src/main/knowledge/vector-index'
import { createCorpus } from './kb-corpus'
import { DIMENSION } from './kb-options'
import { measureQuality, type QualityReport } from './kb-quality'
import { applyKnowledgeSchema, open } from './kb-schema'

/** The hybrid ranking's quality (kb-quality.ts) on its labelled set, planted in 10,000 background chunks of the bench's corpus. */
export async function runQuality(): Promise<QualityReport> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-kbq-'))
  const db = open(join(dir, 'kos.db'))
  try {
    applyKnowledgeSchema(db)
    const store = createKnowledgeStore(db)
    const index = createVectorIndex(db)
    const collection = index.createActive({ id: 'bench:labelled', dimension: DIMENSION })
    const background = 10_000
    const corpus = createCorpus({ chunks: background, dimension: DIMENSION, topics: 100, noise: 0.6 })
    db.transaction(() => {
      for (let i = 0; i < background; i++) {
        const node = store.insert({ title: `bg ${i}`, content: corpus.text(i), domain: null, source: null }, [
          { text: corpus.text(i), tokens: 40 }
        ])
        const chunkId = db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ?').pluck().get(node.id) as number
        index.put(collection, [{ chunkId, vector: corpus.vector(i) }])
      }
    })()
    return await measureQuality({
      db,
      store,
      index,
      collection,
      dimension: DIMENSION,
      filler: (random) =>
        corpus
          .text(Math.floor(random() * background))
          .split(' ')
          .slice(0, 8)
          .join(' '),
      elsewhere: (random) => corpus.vector(Math.floor(random() * background))
    })
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
