import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createKnowledgeStore } from '../src/main/knowledge/knowledge-store'
import { PREFIX_WORDS } from '../src/main/knowledge/sign-index'
import { SAMPLE_STEP } from '../src/main/knowledge/sign-scan'
import { createVectorIndex } from '../src/main/knowledge/vector-index'
import { build, mergeFullText } from './kb-build'
import { createCorpus, mulberry32 } from './kb-corpus'
import { coldPairs, hybridBefore, type ColdPairs } from './kb-io'
import { lexicalFromDisk } from './kb-lexical-merge'
import { CANDIDATES, CHUNKS_PER_NODE, COLD_QUERIES, DIMENSION, KEEP, PARTITIONED } from './kb-options'
import { measureQueries, topNodes } from './kb-queries'
import { applyKnowledgeSchema, open } from './kb-schema'
import { searchSources } from './kb-sources'
import { measureFullTextCheck, type FullTextCheckFigures } from './kb-fts-check'
import { spread, time, timeBoth } from './kb-timing'

type LexicalFromDisk = ReturnType<typeof lexicalFromDisk>

export interface SizeResult {
  chunks: number
  /** Null when the database was reused (--keep). */
  textIngestPerSec: number | null
  /** The same text into a database as it was before this session (kb-build.ts), batch by batch with it. */
  textIngestBeforePerSec: number | null
  /** The full-text index's segments merged into one after the import, as the app does in the background (null: not due). */
  ftsMergeMs: number | null
  /** The lexical half alone from disk, as its worker runs it, before and after that merge (after: null when not due). */
  lexicalFromDisk: { before: LexicalFromDisk; after: LexicalFromDisk | null }
  vectorIngestPerSec: number | null
  bytesOnDisk: number
  /** The longest single batch of vectors: the one that trained the partitions, past PARTITION_FROM. */
  slowestVectorBatchMs: number | null
  vectorMs: { p50: number; p95: number }
  /** The sign-code stage alone, in memory, on the same codes: every code (the layout before partitions) and the nearest lists. */
  signScanMs: {
    everyCode: { p50: number; p95: number }
    nearestLists: { p50: number; p95: number }
    /** The two-stage scan as it was before WebAssembly: the same codes, JavaScript's table popcount. */
    javascriptTwoStage: { p50: number; p95: number }
  }
  /** The hybrid's time outside its vector half (the lexical half on its worker overlaps it; row fetches, fusion, snippets), per query. */
  hybridRestMs: { p50: number; p95: number }
  lexicalMs: { p50: number; p95: number }
  /** The lexical half with the corpus's commonest word added: as planned (lexical-plan.ts), and the whole MATCH ranked by BM25 (every tenth query). */
  lexicalCommonMs: { planned: { p50: number; p95: number }; wholeMatch: { p50: number; p95: number } }
  hybridMs: { p50: number; p95: number }
  /** CPU time of the same hybrid queries: what the wall time would be on an idle core. */
  hybridCpuMs: { p50: number; p95: number }
  exactMs: { p50: number; p95: number }
  recallAt10: number
  /** The fused top 10 against the fused top 10 of the same search with an exact vector side. */
  hybridRecallAt10: number
  /** rebuildFromVectorRows: the layout before the blocks, measured up to 100,000 (at a million it reads 3 GB and assigns every code). */
  firstSearchMs: { afterStart: number; afterDelete: number; rebuildFromVectorRows: number | null }
  firstSearchCpuMs: { afterStart: number; afterDelete: number }
  /** The fine codes read from their blocks into memory by `warm` (as the app does after a start), and what they and the sign codes hold per chunk. */
  fineCodes: { loadMs: number; bytesPerChunk: { sign: number; fine: number } }
  /** Pages SQLite read per hybrid query (read calls; null off Linux): now, and the query as it was (kb-io.ts), interleaved on other queries. */
  hybridReads: { p50: number; p95: number } | null
  before: { hybridMs: { p50: number; p95: number }; hybridReads: { p50: number; p95: number } | null }
  /** The app's search with its lexical half in this thread instead of on its worker, interleaved on other queries. */
  lexicalHere: { hybridMs: { p50: number; p95: number }; hybridReads: { p50: number; p95: number } | null }
  /** The app's search with its summaries read through the row, as before migration 0027's summary index, interleaved. */
  rowSummaries: { hybridMs: { p50: number; p95: number }; hybridReads: { p50: number; p95: number } | null }
  /** The same on a worker whose connection has SQLite's default page cache (2 MiB) instead of its own. */
  smallCache: { hybridMs: { p50: number; p95: number }; hybridReads: { p50: number; p95: number } | null }
  /** Whether the database was put out of the page cache before the queries (they then start as on a machine that reclaimed it). */
  startedOutOfCache: boolean
  /** Every page from disk: the file put out of the page cache before each query, now and before, interleaved. */
  cold: ColdPairs | null
  /** The checklist's check of the whole full-text index. */
  fullTextCheck: FullTextCheckFigures
}

/** One size: its database built (or reused with --keep), its queries, a user's first searches, every page from disk. */
export async function runSize(chunks: number): Promise<SizeResult> {
  if (KEEP) mkdirSync(KEEP, { recursive: true })
  const dir = KEEP ?? mkdtempSync(join(tmpdir(), 'kos-bench-kb-'))
  const file = join(dir, KEEP ? `kb-${chunks}.db` : 'kos.db')
  const reused = KEEP !== null && existsSync(file)
  let db = open(file)
  let closing: (() => Promise<void>) | null = null
  try {
    applyKnowledgeSchema(db, { reused })
    let store = createKnowledgeStore(db)
    let coarse = createVectorIndex(db, { minCandidates: CANDIDATES, ...PARTITIONED })
    const corpus = createCorpus({ chunks, dimension: DIMENSION, topics: Math.max(100, chunks / 100), noise: 0.6 })
    // The ingest A/B: the same text into a database as it was before (random node ids, FTS5's default merging, no summary index).
    const beforeFile = join(dir, `kb-${chunks}-ingest-before.db`)
    const beforeDb = reused ? null : open(beforeFile)
    if (beforeDb) applyKnowledgeSchema(beforeDb, { before0027: true })
    const ingest = reused
      ? null
      : build(
          db,
          store,
          coarse,
          corpus,
          chunks,
          beforeDb && { db: beforeDb, store: createKnowledgeStore(beforeDb, undefined, randomUUID) }
        )
    beforeDb?.close()
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${beforeFile}${suffix}`, { force: true })
    const collection = coarse.active()!

    db.pragma('wal_checkpoint(TRUNCATE)')
    const lexicalBefore = lexicalFromDisk(file, corpus, chunks)
    const ftsMergeMs = mergeFullText(db)
    db.pragma('wal_checkpoint(TRUNCATE)')
    const lexicalAfter = ftsMergeMs === null ? null : lexicalFromDisk(file, corpus, chunks)
    const bytesOnDisk = statSync(file).size
    // As after a start: the fine codes read from their blocks (the puts above had them in memory already).
    coarse = createVectorIndex(db, { minCandidates: CANDIDATES, ...PARTITIONED })
    const [, fineLoadMs] = time(() => {
      while (coarse.warm(collection, 64));
    })
    // Per slot: its id (float64), the code, its first PREFIX_WORDS words and their every SAMPLE_STEP-th sample, a distance and a pick in the scan memory; the fine code and its factor.
    const words = DIMENSION / 32
    const prefixBytes = 4 * Math.min(PREFIX_WORDS, words)
    const bytesPerChunk = {
      sign: 8 + 4 * words + prefixBytes + prefixBytes / SAMPLE_STEP + 2 + 4,
      fine: DIMENSION + 4
    }
    // The query as it was: candidates rescored from the vector rows (an index whose fine codes are not loaded).
    const fromRows = createVectorIndex(db, { minCandidates: CANDIDATES, ...PARTITIONED })
    fromRows.nearest(collection, corpus.query(0, 0).vector, 10)
    let sources = await searchSources(db, store, coarse)
    closing = sources.close
    const figures = await measureQueries({ db, store, file, chunks, corpus, collection, coarse, fromRows, sources })
    const { rows } = figures

    // A user's first search: after a start (the codes read from their blocks), after a delete, and
    // the way it was before the blocks (every vector row read), all on a warm page cache.
    const probe = corpus.query(7, 7).vector
    db.close()
    db = open(file)
    store = createKnowledgeStore(db)
    coarse = createVectorIndex(db, { minCandidates: CANDIDATES, ...PARTITIONED })
    await sources.close()
    const [, afterStart, afterStartCpu] = timeBoth(() => coarse.nearest(coarse.active()!, probe, 10))
    const someNode = db
      .prepare('SELECT id FROM knowledge_nodes LIMIT 1 OFFSET ?')
      .pluck()
      .get(Math.floor(chunks / CHUNKS_PER_NODE / 2)) as string
    store.delete(someNode)
    const [, afterDelete, afterDeleteCpu] = timeBoth(() => coarse.nearest(coarse.active()!, probe, 10))

    // Every page from disk, now and before, interleaved (other targets than above).
    // After the first searches, which measure a start on the page cache the queries left: the fine codes loaded again, and a
    // fresh index without them for the query as it was.
    while (coarse.warm(collection, 64));
    sources = await searchSources(db, store, coarse)
    closing = sources.close
    const fromRowsAgain = createVectorIndex(db, { minCandidates: CANDIDATES, ...PARTITIONED })
    fromRowsAgain.nearest(collection, probe, 10)
    const random = mulberry32(4242)
    const cold = figures.startedOutOfCache
      ? await coldPairs(
          [file, `${file}-wal`],
          COLD_QUERIES,
          (q) =>
            topNodes(sources.onWorker, coarse, collection, corpus.query(Math.floor(random() * chunks), 20_000 + q)),
          (q) =>
            hybridBefore(db, store, fromRowsAgain, collection, corpus.query(Math.floor(random() * chunks), 30_000 + q)),
          spread
        )
      : null

    const fullTextCheck = await measureFullTextCheck(db)

    let rebuildFromVectorRows: number | null = null
    if (chunks <= 100_000 && !reused) {
      db.close()
      db = open(file)
      db.exec(`DROP TABLE ${collection.vecTable}_codes`)
      const rebuild = createVectorIndex(db, { minCandidates: CANDIDATES, ...PARTITIONED })
      rebuildFromVectorRows = time(() => rebuild.nearest(rebuild.active()!, probe, 10))[1]
    }

    const stat = spread
    return {
      chunks,
      textIngestPerSec: ingest && Math.round(chunks / (ingest.textMs / 1000)),
      textIngestBeforePerSec: ingest?.textBeforeMs ? Math.round(chunks / (ingest.textBeforeMs / 1000)) : null,
      ftsMergeMs,
      lexicalFromDisk: { before: lexicalBefore, after: lexicalAfter },
      vectorIngestPerSec: ingest && Math.round(chunks / (ingest.vectorMs / 1000)),
      slowestVectorBatchMs: ingest && Math.round(ingest.slowestVectorBatchMs),
      bytesOnDisk,
      vectorMs: stat(rows.vector),
      signScanMs: {
        everyCode: stat(rows.everyCode),
        nearestLists: stat(rows.nearestLists),
        javascriptTwoStage: stat(rows.javascriptScan)
      },
      hybridRestMs: stat(rows.rest),
      lexicalMs: stat(rows.lexical),
      lexicalCommonMs: { planned: stat(rows.lexicalCommon), wholeMatch: stat(rows.lexicalCommonWholeMatch) },
      hybridMs: stat(rows.hybrid),
      hybridCpuMs: stat(rows.hybridCpu),
      exactMs: stat(rows.exact),
      recallAt10: figures.recallAt10,
      hybridRecallAt10: figures.hybridRecallAt10,
      firstSearchMs: {
        afterStart: Number(afterStart.toFixed(1)),
        afterDelete: Number(afterDelete.toFixed(1)),
        rebuildFromVectorRows: rebuildFromVectorRows === null ? null : Number(rebuildFromVectorRows.toFixed(1))
      },
      firstSearchCpuMs: {
        afterStart: Number(afterStartCpu.toFixed(1)),
        afterDelete: Number(afterDeleteCpu.toFixed(1))
      },
      fineCodes: { loadMs: Math.round(fineLoadMs), bytesPerChunk },
      hybridReads: rows.hybridReads.length ? stat(rows.hybridReads) : null,
      lexicalHere: { hybridMs: stat(rows.here), hybridReads: rows.hereReads.length ? stat(rows.hereReads) : null },
      rowSummaries: {
        hybridMs: stat(rows.rowSummaries),
        hybridReads: rows.rowSummariesReads.length ? stat(rows.rowSummariesReads) : null
      },
      smallCache: { hybridMs: stat(rows.small), hybridReads: rows.smallReads.length ? stat(rows.smallReads) : null },
      before: {
        hybridMs: stat(rows.before),
        hybridReads: rows.beforeReads.length ? stat(rows.beforeReads) : null
      },
      startedOutOfCache: figures.startedOutOfCache,
      cold,
      fullTextCheck
    }
  } finally {
    await closing?.()
    db.close()
    if (!KEEP) rmSync(dir, { recursive: true, force: true })
  }
}
