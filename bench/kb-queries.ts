import type { Db } from '../src/main/db/database'
import { createCodeStore } from '../src/main/knowledge/code-store'
import { buildFtsQuery } from '../src/main/knowledge/fts-query'
import { DEFAULT_MORPHOLOGY, hybridSearch, type SearchSources } from '../src/main/knowledge/hybrid-search'
import type { KnowledgeStore, NodeSummary } from '../src/main/knowledge/knowledge-store'
import { searchLexical } from '../src/main/knowledge/lexical-plan'
import { signBits } from '../src/main/knowledge/sign-bits'
import { signIndexFromBlocks } from '../src/main/knowledge/sign-index'
import type { Collection, VectorHit, VectorIndex } from '../src/main/knowledge/vector-index'
import { mulberry32, type Corpus } from './kb-corpus'
import { evictFromPageCache, hybridBefore, readCalls } from './kb-io'
import { DIMENSION, PARTITIONED, SIGN_CANDIDATES, WARMUP } from './kb-options'
import { javascriptTwoStage } from './kb-sign-javascript'
import type { searchSources } from './kb-sources'
import { time, timeBothAsync } from './kb-timing'

/** The figures gathered query by query, each a list of milliseconds (or of pages read, for the *Reads rows). */
const ROWS = [
  'exact',
  'vector',
  'hybrid',
  'hybridCpu',
  'lexical',
  'everyCode',
  'nearestLists',
  'javascriptScan',
  'rest',
  'lexicalCommon',
  'lexicalCommonWholeMatch',
  'hybridReads',
  'here',
  'hereReads',
  'small',
  'smallReads',
  'rowSummaries',
  'rowSummariesReads',
  'before',
  'beforeReads'
] as const
export type QueryRows = Record<(typeof ROWS)[number], number[]>

export interface QueryContext {
  readonly db: Db
  readonly store: KnowledgeStore
  readonly file: string
  readonly chunks: number
  readonly corpus: Corpus
  readonly collection: Collection
  /** The app's index, fine codes loaded. */
  readonly coarse: VectorIndex
  /** An index whose fine codes are not loaded: the query as it was rescores from the vector rows. */
  readonly fromRows: VectorIndex
  readonly sources: Awaited<ReturnType<typeof searchSources>>
}

export interface QueryFigures {
  readonly rows: QueryRows
  readonly recallAt10: number
  readonly hybridRecallAt10: number
  /** Whether the database was put out of the page cache before the queries. */
  readonly startedOutOfCache: boolean
}

/** The top 10 documents of the app's hybrid search with these sources and index. */
export async function topNodes(
  sources: SearchSources,
  index: VectorIndex,
  collection: Collection,
  query: { text: string; vector: Float32Array }
): Promise<string[]> {
  const result = await hybridSearch(
    { ...sources, index },
    { query: query.text, topK: 10, minSimilarity: 0 },
    { kind: 'on', collection, vector: query.vector }
  )
  return result.hits.map((h) => h.node.id)
}

/**
 * Summaries read as before migration 0027: through the id's unique index, then the row and (for a document longer
 * than a page) its overflow pages, as the store's `get` still reads them. The A/B of the summary index.
 */
function summariesThroughRow(store: KnowledgeStore): KnowledgeStore {
  return {
    ...store,
    summaries(ids) {
      const found = new Map<string, NodeSummary>()
      for (const id of new Set(ids)) {
        const node = store.get(id)
        if (node) found.set(id, { ...node })
      }
      return found
    }
  }
}

/**
 * The queries of one size, interleaved query by query so that every path meets the same machine: the app's
 * hybrid search and its A/Bs (lexical half in this thread, a small worker cache, summaries through the row,
 * the query as it was), the vector and lexical halves alone, the sign stage alone, and recall against exact scans.
 */
export async function measureQueries(context: QueryContext): Promise<QueryFigures> {
  const { db, store, file, chunks, corpus, collection, coarse, fromRows, sources } = context
  // The sign stage alone, both layouts over the same codes in memory.
  const partitioned = createCodeStore(db, PARTITIONED).load(collection.vecTable, DIMENSION / 32)
  const everyCode = signIndexFromBlocks(
    DIMENSION / 32,
    Array.from({ length: partitioned.blocks }, (_, b) => ({ ...partitioned.block(b), lists: null })),
    { partitionFrom: Infinity, twoStageFrom: Infinity }
  )
  const beforeScan = javascriptTwoStage(partitioned)
  const reads = readCalls()
  const counted = async <T>(run: () => T | Promise<T>): Promise<[T, number | null]> => {
    const from = reads?.() ?? 0
    const value = await run()
    return [value, reads ? reads() - from : null]
  }
  const rows = Object.fromEntries(ROWS.map((row) => [row, []])) as unknown as QueryRows
  const push = (row: keyof QueryRows, value: number | null): void => {
    if (value !== null) rows[row].push(value)
  }
  const queries = chunks >= 1_000_000 ? 100 : 200
  const random = mulberry32(42)
  const elsewhere = (seed: number): { text: string; vector: Float32Array } =>
    corpus.query(Math.floor(random() * chunks), seed)
  const rowSummaries = { ...sources.onWorker, store: summariesThroughRow(store) }
  let recallHits = 0
  let recallTotal = 0
  let hybridHits = 0
  let hybridTotal = 0
  // The queries meet the database as a machine that reclaimed its pages would (the warm-up reads what every query shares).
  const startedOutOfCache = evictFromPageCache(file, `${file}-wal`)
  for (let q = 0; q < queries + WARMUP; q++) {
    const query = corpus.query(Math.floor(random() * chunks), 1000 + q)
    // The query as it was, on another target: the same query would find the pages this one read.
    const other = elsewhere(9000 + q)
    const [[, beforeReads], beforeMs] = await timeBothAsync(() =>
      counted(() => hybridBefore(db, store, fromRows, collection, other))
    )
    const [approx, ms] = time(() => coarse.nearest(collection, query.vector, 10))
    const [[hybrid, hybridReads], hybridMs, hybridCpuMs] = await timeBothAsync(() =>
      counted(() => topNodes(sources.onWorker, coarse, collection, query))
    )
    const [[, hereReads], hereMs] = await timeBothAsync(() =>
      counted(() => topNodes(sources.here, coarse, collection, elsewhere(5000 + q)))
    )
    const [[, smallReads], smallMs] = await timeBothAsync(() =>
      counted(() => topNodes(sources.smallCache, coarse, collection, elsewhere(7000 + q)))
    )
    const [[, rowSummariesReads], rowSummariesMs] = await timeBothAsync(() =>
      counted(() => topNodes(rowSummaries, coarse, collection, elsewhere(11_000 + q)))
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
    push('before', beforeMs)
    push('beforeReads', beforeReads)
    push('hybridReads', hybridReads)
    push('here', hereMs)
    push('hereReads', hereReads)
    push('small', smallMs)
    push('smallReads', smallReads)
    push('rowSummaries', rowSummariesMs)
    push('rowSummariesReads', rowSummariesReads)
    push('javascriptScan', javascriptMs)
    push('lexicalCommon', commonMs)
    push('lexicalCommonWholeMatch', unplannedMs)
    push('rest', Math.max(0, hybridMs - ms))
    push('vector', ms)
    push('hybrid', hybridMs)
    push('hybridCpu', hybridCpuMs)
    push('lexical', lexicalMs)
    push('everyCode', everyCodeMs)
    push('nearestLists', nearestListsMs)
    // The exact scan is the slow reference; every fourth query (every tenth at a million) is enough to measure recall on.
    if (q % (chunks >= 1_000_000 ? 10 : 4) !== 0) continue
    // One exact scan deep enough for the hybrid's vector side (30) serves both recalls.
    const [deep, exactMs] = time(() => coarse.nearestExact(collection, query.vector, 30))
    push('exact', exactMs)
    const truthIds = new Set(deep.slice(0, 10).map((h) => h.chunkId))
    recallHits += approx.filter((h) => truthIds.has(h.chunkId)).length
    recallTotal += truthIds.size
    const exact: VectorIndex = { ...coarse, nearest: (_c, _v, k): VectorHit[] => deep.slice(0, k) }
    const truthNodes = new Set(await topNodes(sources.onWorker, exact, collection, query))
    hybridHits += hybrid.filter((id) => truthNodes.has(id)).length
    hybridTotal += truthNodes.size
  }
  return {
    rows,
    recallAt10: Number((recallHits / Math.max(1, recallTotal)).toFixed(3)),
    hybridRecallAt10: Number((hybridHits / Math.max(1, hybridTotal)).toFixed(3)),
    startedOutOfCache
  }
}
