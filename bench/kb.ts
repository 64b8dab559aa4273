import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openDatabase } from '../src/main/db/database'
import { hybridSearch } from '../src/main/knowledge/hybrid-search'
import { createKnowledgeStore } from '../src/main/knowledge/knowledge-store'
import { loadVectorExtension } from '../src/main/knowledge/load-vector-extension'
import { MIN_CANDIDATES, createVectorIndex, type VectorIndex } from '../src/main/knowledge/vector-index'
import { createCorpus, mulberry32 } from './kb-corpus'

// `npm run bench:kb [-- --large] [-- --json] [-- --chunks N] [-- --candidates N]`:
// the knowledge base at 100,000 (or 1,000,000, or N) chunks of 768-dim vectors,
// on disk with the app's pragmas; --candidates overrides MIN_CANDIDATES.
const repoRoot = resolve(__dirname, '..')
const json = process.argv.includes('--json')
const large = process.argv.includes('--large')
const chunksFlag = process.argv.indexOf('--chunks')
const CHUNKS = chunksFlag > 0 ? Number(process.argv[chunksFlag + 1]) : large ? 1_000_000 : 100_000
const DIMENSION = 768
const CHUNKS_PER_NODE = 10
const BATCH_NODES = 100
const candidatesFlag = process.argv.indexOf('--candidates')
const CANDIDATES = candidatesFlag > 0 ? Number(process.argv[candidatesFlag + 1]) : MIN_CANDIDATES
const QUERIES = large ? 60 : 200
const WARMUP = 10

function print(line: string): void {
  process.stdout.write(`${line}\n`)
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-kb-'))
  const file = join(dir, 'kos.db')
  const db = openDatabase(file)
  try {
    const extension = loadVectorExtension(db)
    if (!extension.ok) throw new Error(extension.reason)
    db.exec(readFileSync(join(repoRoot, 'migrations', '0004_knowledge.sql'), 'utf8'))
    const store = createKnowledgeStore(db)
    const coarse = createVectorIndex(db, { minCandidates: CANDIDATES })
    // The same index searched by brute force: the reference for recall, and the cost of not quantizing.
    const exact: VectorIndex = { ...coarse, nearest: coarse.nearestExact }
    const collection = coarse.createActive({ id: 'bench:synthetic', dimension: DIMENSION })
    const corpus = createCorpus({ chunks: CHUNKS, dimension: DIMENSION, topics: Math.max(100, CHUNKS / 100), noise: 0.6 })
    const chunkIdsOf = db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ? ORDER BY ordinal')

    let ingestMs = 0
    for (let first = 0; first < CHUNKS; first += BATCH_NODES * CHUNKS_PER_NODE) {
      const count = Math.min(BATCH_NODES * CHUNKS_PER_NODE, CHUNKS - first)
      const texts = Array.from({ length: count }, (_, i) => corpus.text(first + i))
      const vectors = Array.from({ length: count }, (_, i) => corpus.vector(first + i))
      const started = performance.now()
      db.transaction(() => {
        for (let n = 0; n < count; n += CHUNKS_PER_NODE) {
          const slice = texts.slice(n, n + CHUNKS_PER_NODE)
          const node = store.insert({ title: `Synthetic ${first + n}`, content: slice.join('\n\n'), domain: null, source: null }, slice.map((text) => ({ text, tokens: 60 })))
          const ids = (chunkIdsOf.all(node.id) as { id: number }[]).map((r) => r.id)
          coarse.put(collection, ids.map((id, k) => ({ chunkId: id, vector: vectors[n + k]! })))
        }
      })()
      ingestMs += performance.now() - started
      if (!json && (first / count) % 20 === 0) process.stderr.write(`\ringested ${first + count} of ${CHUNKS}`)
    }
    if (!json) process.stderr.write('\n')
    db.pragma('wal_checkpoint(TRUNCATE)')
    const bytesOnDisk = statSync(file).size

    const random = mulberry32(42)
    const rows: Record<'exactVec' | 'coarseVec' | 'hybridCoarse', number[]> = { exactVec: [], coarseVec: [], hybridCoarse: [] }
    let recallHits = 0
    let recallTotal = 0
    for (let q = 0; q < QUERIES + WARMUP; q++) {
      const target = Math.floor(random() * CHUNKS)
      const query = corpus.query(target, 1000 + q)
      const time = <T>(run: () => T): [T, number] => {
        const started = performance.now()
        const value = run()
        return [value, performance.now() - started]
      }
      const [approx, coarseMs] = time(() => coarse.nearest(collection, query.vector, 10))
      const [, hybridMs] = time(() => hybridSearch(store, coarse, { query: query.text, topK: 10, minSimilarity: 0 }, { kind: 'on', collection, vector: query.vector }))
      if (q < WARMUP) continue
      rows.coarseVec.push(coarseMs)
      rows.hybridCoarse.push(hybridMs)
      // The exact scan is the slow reference; every fourth query is enough to measure recall on.
      if (q % 4 !== 0) continue
      const [truth, exactMs] = time(() => exact.nearest(collection, query.vector, 10))
      rows.exactVec.push(exactMs)
      const truthIds = new Set(truth.map((h) => h.chunkId))
      recallHits += approx.filter((h) => truthIds.has(h.chunkId)).length
      recallTotal += truth.length
    }
    const recallAt10 = recallHits / Math.max(1, recallTotal)
    const ingestPerSec = CHUNKS / (ingestMs / 1000)
    const appPath = rows.hybridCoarse

    print(`Knowledge base, ${CHUNKS.toLocaleString('en-US')} chunks × ${DIMENSION}-dim float32 + sign bits, ${QUERIES} queries, on-disk WAL, synchronous=FULL`)
    print(`ingest (text + FTS5 + vectors, precomputed): ${ingestPerSec.toFixed(0)} chunks/s; size on disk ${(bytesOnDisk / 1048576).toFixed(0)} MiB`)
    print('path                                   p50 ms   p95 ms   recall@10')
    const line = (name: string, values: number[], recall: string): void => print(`${name.padEnd(37)}  ${percentile(values, 50).toFixed(2).padStart(7)}  ${percentile(values, 95).toFixed(2).padStart(7)}   ${recall}`)
    line('vector, exact float32 scan', rows.exactVec, '1.000 (reference)')
    line(`vector, sign bits → ${CANDIDATES} + exact rescore`, rows.coarseVec, recallAt10.toFixed(3))
    line('hybrid: FTS5 + sign bits + RRF, top 10', rows.hybridCoarse, '')
    if (json) {
      print(
        JSON.stringify({
          chunks: CHUNKS,
          ingestPerSec: Math.round(ingestPerSec),
          queryMs: { p50: Number(percentile(appPath, 50).toFixed(2)), p95: Number(percentile(appPath, 95).toFixed(2)) },
          recallAt10: Number(recallAt10.toFixed(3)),
          bytesOnDisk
        })
      )
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main()
