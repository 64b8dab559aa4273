import { loadavg } from 'node:os'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openDatabase, type Db } from '../src/main/db/database'
import { createCodeStore } from '../src/main/knowledge/code-store'
import { buildFtsQuery } from '../src/main/knowledge/fts-query'
import { DEFAULT_MORPHOLOGY, hybridSearch, type SearchSources } from '../src/main/knowledge/hybrid-search'
import { hamming, nearestPositions, signBits } from '../src/main/knowledge/sign-bits'
import {
  BLOCK_SLOTS,
  PREFIX_KEEP_PER_HIT,
  PREFIX_WORDS,
  signIndexFromBlocks,
  type SignIndex
} from '../src/main/knowledge/sign-index'
import { SAMPLE_STEP } from '../src/main/knowledge/sign-scan'
import { createKnowledgeStore, type KnowledgeStore } from '../src/main/knowledge/knowledge-store'
import { searchLexical } from '../src/main/knowledge/lexical-plan'
import { loadVectorExtension } from '../src/main/knowledge/load-vector-extension'
import {
  MIN_CANDIDATES,
  OVERSAMPLE,
  createVectorIndex,
  type VectorHit,
  type VectorIndex
} from '../src/main/knowledge/vector-index'
import { createCorpus, mulberry32, type Corpus } from './kb-corpus'
import {
  benchLog,
  coldPairs,
  evictFromPageCache,
  hybridBefore,
  inProcessSources,
  readCalls,
  type ColdPairs
} from './kb-io'
import { startLexicalSourceWorker } from '../src/main/knowledge/test-support/lexical-source-worker'
import { createLexicalSearcher } from '../src/main/knowledge/lexical-searcher'
import { measureQuality, type QualityReport } from './kb-quality'

// `npm run bench:kb [-- --large] [-- --json] [-- --chunks N] [-- --candidates N] [-- --no-quality] [-- --partitioned] [-- --keep DIR]`:
// the knowledge base at 10,000 and 100,000 chunks (and 1,000,000 with --large,
// or only N) of 768-dim vectors, on disk with the app's pragmas, then the
// hybrid ranking's quality on a labelled set; --candidates overrides MIN_CANDIDATES.
// --keep DIR keeps each size's database in DIR (kb-<chunks>.db) and reuses it on the next run instead of
// building it again (minutes at a million): ingest is then not measured, nor the rebuild from vector rows
// (it drops the code blocks); each run deletes one more node. Delete DIR when done.
const repoRoot = resolve(__dirname, '..')
const json = process.argv.includes('--json')
const large = process.argv.includes('--large')
const flag = (name: string): number | null => {
  const at = process.argv.indexOf(name)
  return at > 0 ? Number(process.argv[at + 1]) : null
}
const SIZES = flag('--chunks') !== null ? [flag('--chunks')!] : large ? [10_000, 100_000, 1_000_000] : [10_000, 100_000]
const DIMENSION = 768
const CHUNKS_PER_NODE = 10
const TEXT_BATCH_NODES = 100
const VECTOR_BATCH = 1000
const CANDIDATES = flag('--candidates') ?? MIN_CANDIDATES
/** What the vector side of a top-10 search takes from the sign codes. */
const SIGN_CANDIDATES = Math.max(CANDIDATES, 10 * OVERSAMPLE)
const WARMUP = 10
/** Queries with every page from disk (the file put out of the page cache before each), per size. */
const COLD_QUERIES = 20
/** The corpus's commonest word, as the table names it. */
const COMMON_LABEL = createCorpus({ chunks: 1, dimension: 1, topics: 1, noise: 0 }).commonWord
/** --partitioned: the index partitions its codes from 50,000 (off in the app; README.md says why). */
const PARTITIONED = process.argv.includes('--partitioned') ? { partitionFrom: 50_000 } : {}
const KEEP = ((at) => (at > 0 ? resolve(process.argv[at + 1] ?? '.') : null))(process.argv.indexOf('--keep'))

function print(line: string): void {
  if (!json) process.stdout.write(`${line}\n`)
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2))
}

function time<T>(run: () => T): [T, number] {
  const started = performance.now()
  const value = run()
  return [value, performance.now() - started]
}

/** Wall and CPU milliseconds of one run: on a shared machine the CPU time is the part that is ours. */
function timeBoth<T>(run: () => T): [T, number, number] {
  const cpu = process.cpuUsage()
  const [value, ms] = time(run)
  const used = process.cpuUsage(cpu)
  return [value, ms, (used.user + used.system) / 1000]
}

/** The same for a search that awaits its lexical half (the process's CPU: the worker's thread included). */
async function timeBothAsync<T>(run: () => Promise<T>): Promise<[T, number, number]> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const value = await run()
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  return [value, ms, (used.user + used.system) / 1000]
}

function open(file: string): Db {
  const db = openDatabase(file)
  const extension = loadVectorExtension(db)
  if (!extension.ok) throw new Error(extension.reason)
  return db
}

/** The knowledge tables as the app has them: the first schema, Russian stems, node sizes kept in the row, deleted chunks logged, summaries indexed. */
function applyKnowledgeSchema(db: Db, reused = false): void {
  const files = [
    '0004_knowledge.sql',
    '0015_russian_stems.sql',
    '0025_knowledge_node_sizes.sql',
    '0026_knowledge_chunks_gone.sql',
    '0027_knowledge_node_summaries.sql'
  ]
  // A kept database (--keep) built before a later migration gets that one; each is known by what it creates.
  const addedLater = new Map([
    ['0026_knowledge_chunks_gone.sql', 'knowledge_chunks_gone'],
    ['0027_knowledge_node_summaries.sql', 'knowledge_nodes_summary']
  ])
  const has = db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').pluck()
  for (const file of files) {
    const creates = addedLater.get(file)
    if (reused && (creates === undefined || has.get(creates))) continue
    db.exec(readFileSync(join(repoRoot, 'migrations', file), 'utf8'))
  }
}

interface SizeResult {
  chunks: number
  /** Null when the database was reused (--keep). */
  textIngestPerSec: number | null
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
  /** The same on a worker whose connection has SQLite's default page cache (2 MiB) instead of its own. */
  smallCache: { hybridMs: { p50: number; p95: number }; hybridReads: { p50: number; p95: number } | null }
  /** Whether the database was put out of the page cache before the queries (they then start as on a machine that reclaimed it). */
  startedOutOfCache: boolean
  /** Every page from disk: the file put out of the page cache before each query, now and before, interleaved. */
  cold: ColdPairs | null
}

async function runSize(chunks: number): Promise<SizeResult> {
  if (KEEP) mkdirSync(KEEP, { recursive: true })
  const dir = KEEP ?? mkdtempSync(join(tmpdir(), 'kos-bench-kb-'))
  const file = join(dir, KEEP ? `kb-${chunks}.db` : 'kos.db')
  const reused = KEEP !== null && existsSync(file)
  let db = open(file)
  let closing: (() => Promise<void>) | null = null
  try {
    applyKnowledgeSchema(db, reused)
    let store = createKnowledgeStore(db)
    let coarse = createVectorIndex(db, { minCandidates: CANDIDATES, ...PARTITIONED })
    const corpus = createCorpus({ chunks, dimension: DIMENSION, topics: Math.max(100, chunks / 100), noise: 0.6 })
    const ingest = reused ? null : build(db, store, coarse, corpus, chunks)
    const collection = coarse.active()!

    db.pragma('wal_checkpoint(TRUNCATE)')
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
    const reads = readCalls()
    const counted = <T>(run: () => T): [T, number | null] => {
      const from = reads?.() ?? 0
      const value = run()
      return [value, reads ? reads() - from : null]
    }
    const countedAsync = async <T>(run: () => Promise<T>): Promise<[T, number | null]> => {
      const from = reads?.() ?? 0
      const value = await run()
      return [value, reads ? reads() - from : null]
    }

    // The sign stage alone, both layouts over the same codes in memory, interleaved query by query.
    const partitioned = createCodeStore(db, PARTITIONED).load(collection.vecTable, DIMENSION / 32)
    const everyCode = signIndexFromBlocks(
      DIMENSION / 32,
      Array.from({ length: partitioned.blocks }, (_, b) => ({ ...partitioned.block(b), lists: null })),
      { partitionFrom: Infinity, twoStageFrom: Infinity }
    )
    const beforeScan = javascriptTwoStage(partitioned)
    const queries = chunks >= 1_000_000 ? 100 : 200
    const random = mulberry32(42)
    const rows: Record<
      | 'exact'
      | 'vector'
      | 'hybrid'
      | 'hybridCpu'
      | 'lexical'
      | 'everyCode'
      | 'nearestLists'
      | 'javascriptScan'
      | 'rest'
      | 'lexicalCommon'
      | 'lexicalCommonWholeMatch'
      | 'hybridReads'
      | 'here'
      | 'hereReads'
      | 'small'
      | 'smallReads'
      | 'before'
      | 'beforeReads',
      number[]
    > = {
      hybridReads: [],
      here: [],
      hereReads: [],
      small: [],
      smallReads: [],
      before: [],
      beforeReads: [],
      javascriptScan: [],
      rest: [],
      lexicalCommon: [],
      lexicalCommonWholeMatch: [],
      exact: [],
      vector: [],
      hybrid: [],
      hybridCpu: [],
      lexical: [],
      everyCode: [],
      nearestLists: []
    }
    let recallHits = 0
    let recallTotal = 0
    let hybridHits = 0
    let hybridTotal = 0
    let sources = await searchSources(db, store, coarse)
    closing = sources.close
    const searchWith = async (
      sources: SearchSources,
      index: VectorIndex,
      query: { text: string; vector: Float32Array }
    ): Promise<string[]> =>
      (
        await hybridSearch(
          { ...sources, index },
          { query: query.text, topK: 10, minSimilarity: 0 },
          { kind: 'on', collection, vector: query.vector }
        )
      ).hits.map((h) => h.node.id)
    const search = (index: VectorIndex, query: { text: string; vector: Float32Array }): Promise<string[]> =>
      searchWith(sources.onWorker, index, query)
    // The queries meet the database as a machine that reclaimed its pages would (the warm-up reads what every query shares).
    const startedOutOfCache = evictFromPageCache(file, `${file}-wal`)
    for (let q = 0; q < queries + WARMUP; q++) {
      const target = Math.floor(random() * chunks)
      const query = corpus.query(target, 1000 + q)
      // The query as it was, on another target: the same query would find the pages this one read.
      const other = corpus.query(Math.floor(random() * chunks), 9000 + q)
      const [[, beforeReads], beforeMs] = time(() =>
        counted(() => hybridBefore(db, store, fromRows, collection, other))
      )
      const [approx, ms] = time(() => coarse.nearest(collection, query.vector, 10))
      const [[hybrid, hybridReads], hybridMs, hybridCpuMs] = await timeBothAsync(() =>
        countedAsync(() => search(coarse, query))
      )
      const [[, hereReads], hereMs] = await timeBothAsync(() =>
        countedAsync(() => searchWith(sources.here, coarse, corpus.query(Math.floor(random() * chunks), 5000 + q)))
      )
      const [[, smallReads], smallMs] = await timeBothAsync(() =>
        countedAsync(() =>
          searchWith(sources.smallCache, coarse, corpus.query(Math.floor(random() * chunks), 7000 + q))
        )
      )
      const fts = buildFtsQuery(query.text, DEFAULT_MORPHOLOGY)
      const [, lexicalMs] = time(() => searchLexical(store, fts, 50, {}))
      // The same words and the corpus's commonest one, as a person's query holds "the": planned, and (every tenth query, seconds each at a million) the whole MATCH ranked.
      const withCommon = buildFtsQuery(`${query.text} ${corpus.commonWord}`, DEFAULT_MORPHOLOGY)
      const [, commonMs] = time(() => searchLexical(store, withCommon, 50, {}))
      const unplannedMs = q % 10 === 0 ? time(() => store.lexical(withCommon.match!, 50, {}))[1] : null
      const code = signBits(query.vector)
      const [, everyCodeMs] = time(() => everyCode.nearest(code, SIGN_CANDIDATES))
      const [, nearestListsMs] = time(() => partitioned.nearest(code, SIGN_CANDIDATES))
      const [, javascriptMs] = time(() => beforeScan(code, SIGN_CANDIDATES))
      if (q < WARMUP) continue
      rows.before.push(beforeMs)
      if (beforeReads !== null) rows.beforeReads.push(beforeReads)
      if (hybridReads !== null) rows.hybridReads.push(hybridReads)
      rows.here.push(hereMs)
      rows.small.push(smallMs)
      if (smallReads !== null) rows.smallReads.push(smallReads)
      if (hereReads !== null) rows.hereReads.push(hereReads)
      rows.javascriptScan.push(javascriptMs)
      rows.lexicalCommon.push(commonMs)
      if (unplannedMs !== null) rows.lexicalCommonWholeMatch.push(unplannedMs)
      rows.rest.push(Math.max(0, hybridMs - ms))
      rows.vector.push(ms)
      rows.hybrid.push(hybridMs)
      rows.hybridCpu.push(hybridCpuMs)
      rows.lexical.push(lexicalMs)
      rows.everyCode.push(everyCodeMs)
      rows.nearestLists.push(nearestListsMs)
      // The exact scan is the slow reference; every fourth query (every tenth at a million) is enough to measure recall on.
      if (q % (chunks >= 1_000_000 ? 10 : 4) !== 0) continue
      // One exact scan deep enough for the hybrid's vector side (30) serves both recalls.
      const [deep, exactMs] = time(() => coarse.nearestExact(collection, query.vector, 30))
      rows.exact.push(exactMs)
      const truthIds = new Set(deep.slice(0, 10).map((h) => h.chunkId))
      recallHits += approx.filter((h) => truthIds.has(h.chunkId)).length
      recallTotal += truthIds.size
      const exact: VectorIndex = { ...coarse, nearest: (_c, _v, k): VectorHit[] => deep.slice(0, k) }
      const truthNodes = new Set(await search(exact, query))
      hybridHits += hybrid.filter((id) => truthNodes.has(id)).length
      hybridTotal += truthNodes.size
    }

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
    const cold = startedOutOfCache
      ? await coldPairs(
          [file, `${file}-wal`],
          COLD_QUERIES,
          (q) => search(coarse, corpus.query(Math.floor(random() * chunks), 20_000 + q)),
          (q) =>
            hybridBefore(db, store, fromRowsAgain, collection, corpus.query(Math.floor(random() * chunks), 30_000 + q)),
          (values) => ({ p50: percentile(values, 50), p95: percentile(values, 95) })
        )
      : null

    let rebuildFromVectorRows: number | null = null
    if (chunks <= 100_000 && !reused) {
      db.close()
      db = open(file)
      db.exec(`DROP TABLE ${collection.vecTable}_codes`)
      const rebuild = createVectorIndex(db, { minCandidates: CANDIDATES, ...PARTITIONED })
      rebuildFromVectorRows = time(() => rebuild.nearest(rebuild.active()!, probe, 10))[1]
    }

    const stat = (values: number[]): { p50: number; p95: number } => ({
      p50: percentile(values, 50),
      p95: percentile(values, 95)
    })
    return {
      chunks,
      textIngestPerSec: ingest && Math.round(chunks / (ingest.textMs / 1000)),
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
      recallAt10: Number((recallHits / Math.max(1, recallTotal)).toFixed(3)),
      hybridRecallAt10: Number((hybridHits / Math.max(1, hybridTotal)).toFixed(3)),
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
      smallCache: { hybridMs: stat(rows.small), hybridReads: rows.smallReads.length ? stat(rows.smallReads) : null },
      before: {
        hybridMs: stat(rows.before),
        hybridReads: rows.beforeReads.length ? stat(rows.beforeReads) : null
      },
      startedOutOfCache,
      cold
    }
  } finally {
    await closing?.()
    db.close()
    if (!KEEP) rmSync(dir, { recursive: true, force: true })
  }
}

/** Builds a size's database: text first, as an import does (chunks + FTS5, no embeddings), then the vectors in the embedding worker's way: batches. */
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
    if (!json && (first / VECTOR_BATCH) % 50 === 0) process.stderr.write(`\r${chunks}: vectors ${first + rows.length}`)
  }
  if (!json) process.stderr.write('\n')
  return { textMs, vectorMs, slowestVectorBatchMs }
}

/**
 * The app's search: the lexical half on its worker, each chunk's node in memory; the same with the lexical half
 * in this thread, and on a worker with SQLite's default page cache (2 MiB): the A/Bs of the worker and its cache.
 */
async function searchSources(
  db: Db,
  store: KnowledgeStore,
  index: VectorIndex
): Promise<{ here: SearchSources; onWorker: SearchSources; smallCache: SearchSources; close: () => Promise<void> }> {
  const here = inProcessSources(db, store, index)
  const worker = (cacheKib?: number): SearchSources => ({
    ...here,
    lexical: createLexicalSearcher({
      db,
      store,
      log: benchLog,
      startWorker: startLexicalSourceWorker,
      ...(cacheKib === undefined ? {} : { cacheKib })
    })
  })
  const onWorker = worker()
  const smallCache = worker(2000)
  for (const { lexical } of [onWorker, smallCache])
    if (!(await lexical.ready)) throw new Error('the lexical search worker did not start; see the log above')
  return {
    here,
    onWorker,
    smallCache,
    close: async () => {
      await onWorker.lexical.close()
      await smallCache.lexical.close()
    }
  }
}

/**
 * The two-stage scan the index ran before its scan moved to WebAssembly (first 256 bits of every
 * code, then the whole code of 20 per candidate, popcount by a 16-bit table), over a copy of the
 * same codes: the A/B of the sign stage, measured in the same run.
 */
function javascriptTwoStage(index: SignIndex): (query: Uint32Array, count: number) => void {
  const words = index.words
  const prefixWords = Math.min(PREFIX_WORDS, words)
  const codes = new Uint32Array(index.size * words)
  for (let b = 0; b < index.blocks; b++) codes.set(index.block(b).codes, b * BLOCK_SLOTS * words)
  const prefix = new Uint32Array(index.size * prefixWords)
  for (let i = 0; i < index.size; i++) prefix.set(codes.subarray(i * words, i * words + prefixWords), i * prefixWords)
  const distances = new Uint16Array(index.size)
  const select = (n: number, count: number): number[] => nearestPositions(distances, n, count, words * 32)
  return (query, count) => {
    for (let i = 0, offset = 0; i < index.size; i++, offset += prefixWords)
      distances[i] = hamming(prefix, offset, query, prefixWords)
    const shortlist = select(index.size, Math.min(index.size, PREFIX_KEEP_PER_HIT * count))
    shortlist.forEach((slot, i) => (distances[i] = hamming(codes, slot * words, query, words)))
    select(shortlist.length, Math.min(shortlist.length, count))
  }
}

async function runQuality(): Promise<QualityReport> {
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

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!
  print(
    `Knowledge base, 768-dim float32 + sign bits, on-disk WAL, synchronous=FULL; load average ${loadBefore.toFixed(1)} on ${process.env.KOS_BENCH_CORES ?? '2'} cores`
  )
  const sizes: SizeResult[] = []
  for (const chunks of SIZES) {
    const r = await runSize(chunks)
    sizes.push(r)
    print(
      `\n${chunks.toLocaleString('en-US')} chunks: ingest ${r.textIngestPerSec} chunks/s text + FTS5 (no embeddings), ${r.vectorIngestPerSec} vectors/s (slowest batch of ${VECTOR_BATCH} ${r.slowestVectorBatchMs} ms); ${(r.bytesOnDisk / 1048576).toFixed(0)} MiB`
    )
    print('  path                                          p50 ms   p95 ms   recall@10')
    const line = (name: string, v: { p50: number; p95: number }, recall: string): void =>
      print(`  ${name.padEnd(44)}  ${v.p50.toFixed(2).padStart(7)}  ${v.p95.toFixed(2).padStart(7)}   ${recall}`)
    line('vector, exact float32 scan (reference)', r.exactMs, '1.000')
    line(`vector, sign bits → ${CANDIDATES} + exact rescore`, r.vectorMs, r.recallAt10.toFixed(3))
    line(`sign stage alone: every code → ${SIGN_CANDIDATES}`, r.signScanMs.everyCode, '')
    line(
      `sign stage alone: ${PARTITIONED.partitionFrom ? 'nearest lists' : 'two stages'} → ${SIGN_CANDIDATES}`,
      r.signScanMs.nearestLists,
      ''
    )
    line(
      `sign stage alone: two stages in JavaScript (before) → ${SIGN_CANDIDATES}`,
      r.signScanMs.javascriptTwoStage,
      ''
    )
    line('lexical alone: FTS5 BM25, top 50', r.lexicalMs, '')
    line(`lexical, + "${COMMON_LABEL}" (80% of chunks), planned`, r.lexicalCommonMs.planned, '')
    line(`lexical, + "${COMMON_LABEL}", whole MATCH ranked (before)`, r.lexicalCommonMs.wholeMatch, '')
    line('hybrid − vector half (lexical overlaps it), per query', r.hybridRestMs, '')
    line(
      'hybrid, lexical half on its worker, top 10',
      r.hybridMs,
      `${r.hybridRecallAt10.toFixed(3)} (vs exact vector side)`
    )
    line('hybrid, CPU time of the same queries', r.hybridCpuMs, '')
    const reads = (v: { p50: number; p95: number } | null): string => (v ? `pages read ${v.p50} / ${v.p95}` : '')
    line(
      'hybrid, lexical in this thread (app < 100k), others',
      r.lexicalHere.hybridMs,
      reads(r.lexicalHere.hybridReads)
    )
    line(
      'hybrid, worker with a 2 MiB page cache, other queries',
      r.smallCache.hybridMs,
      reads(r.smallCache.hybridReads)
    )
    line('hybrid as before (rows read), other queries', r.before.hybridMs, reads(r.before.hybridReads))
    print(
      `  hybrid now: ${reads(r.hybridReads)}; the queries started ${r.startedOutOfCache ? 'with the database out of the page cache' : 'on the page cache as it was'}`
    )
    if (r.cold) {
      line('cold (every page from disk): hybrid now', r.cold.after.ms, reads(r.cold.after.reads))
      line('cold (every page from disk): hybrid before', r.cold.before.ms, reads(r.cold.before.reads))
    }
    print(
      `  fine codes: read into memory in ${r.fineCodes.loadMs} ms; in memory per chunk ${r.fineCodes.bytesPerChunk.sign} B of sign codes + ${r.fineCodes.bytesPerChunk.fine} B of fine codes (${((r.chunks * (r.fineCodes.bytesPerChunk.sign + r.fineCodes.bytesPerChunk.fine)) / 2 ** 20).toFixed(0)} MiB)`
    )
    print(
      `  first search: after a start ${r.firstSearchMs.afterStart} ms (CPU ${r.firstSearchCpuMs.afterStart}), after a delete ${r.firstSearchMs.afterDelete} ms (CPU ${r.firstSearchCpuMs.afterDelete}); rebuilt from every vector row and partitioned (before the blocks, and an upgrade) ${r.firstSearchMs.rebuildFromVectorRows ?? 'not measured'} ms`
    )
  }
  const quality = process.argv.includes('--no-quality') ? null : await runQuality()
  if (quality) {
    print(
      `\nHybrid quality: recall@10 of the fused top 10 on ${quality.queries} labelled queries (10,000 background chunks)`
    )
    print('  russian morphology  fusion          all     ru      en')
    for (const row of quality.rows)
      print(
        `  ${row.morphology.padEnd(18)}  ${row.fusion.padEnd(14)}  ${row.recall.all.toFixed(3)}   ${row.recall.ru.toFixed(3)}   ${row.recall.en.toFixed(3)}`
      )
    print(
      `  the app's hybridSearch (${quality.app.morphology}, ${quality.app.fusion}): ${quality.app.recall.toFixed(3)}`
    )
  }
  const loadAfter = loadavg()[0]!
  print(`\nload average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`)
  if (json)
    process.stdout.write(`${JSON.stringify({ load: { before: loadBefore, after: loadAfter }, sizes, quality })}\n`)
}

void main()
