import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import type { Db } from '../src/main/db/database'
import { createChunkNodes } from '../src/main/knowledge/chunk-nodes'
import type { SearchSources } from '../src/main/knowledge/hybrid-search'
import { createLexicalSearcher } from '../src/main/knowledge/lexical-searcher'
import { createLogger } from '../src/main/log/logger'
import { buildFtsQuery } from '../src/main/knowledge/fts-query'
import { DEFAULT_MORPHOLOGY } from '../src/main/knowledge/hybrid-search'
import type { KnowledgeStore } from '../src/main/knowledge/knowledge-store'
import { planLexical } from '../src/main/knowledge/lexical-plan'
import { markdownToPlain } from '../src/main/knowledge/markdown-plain'
import { reciprocalRankFusion } from '../src/main/knowledge/rrf'
import { makeSnippet } from '../src/main/knowledge/snippet'
import type { Collection, VectorIndex } from '../src/main/knowledge/vector-index'

export const benchLog = createLogger({ write: (line) => process.stderr.write(`${line}\n`) }, 'warn').logger

/** What the app's search reads, in this thread (no lexical worker), with each chunk's node loaded into memory. */
export function inProcessSources(db: Db, store: KnowledgeStore, index: VectorIndex | null): SearchSources {
  const chunkNodes = createChunkNodes(db)
  chunkNodes.load()
  return {
    store,
    index,
    chunkNodes,
    lexical: createLexicalSearcher({ db, store, log: benchLog, startWorker: null }),
    workerFrom: 0
  }
}

/**
 * What a query costs in I/O, for bench/kb.ts: the pages SQLite asked the
 * system for (one read call each, counted by Linux in /proc/self/io) and a
 * database file put out of the page cache, as the kernel's reclaim leaves a
 * large database that no query touched for a minute (and a Mac under memory
 * pressure does).
 */
export function readCalls(): (() => number) | null {
  if (!existsSync('/proc/self/io')) return null
  const now = (): number => Number(/syscr: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1])
  // Reading /proc/self/io is itself a read call or two: measured once and taken off.
  const own = ((a) => now() - a)(now())
  return () => now() - own
}

/** Drops a file's clean pages from the page cache (posix_fadvise DONTNEED through GNU dd); false where that is not available. */
export function evictFromPageCache(...files: string[]): boolean {
  return files.every(
    (file) =>
      !existsSync(file) ||
      spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none'], { stdio: 'ignore' }).status === 0
  )
}

/**
 * The hybrid query as it was before reads were counted (the same fusion and snippets): FTS5's matches
 * joined to their chunk and node rows before the best 50 are kept, and the vector side's 30 chunks and
 * their nodes' summaries read. Given an index whose fine codes are not loaded, its candidates are
 * rescored from their vector rows, as they were. The A/B of bench/kb.ts, interleaved query by query.
 */
export function hybridBefore(
  db: Db,
  store: KnowledgeStore,
  index: VectorIndex,
  collection: Collection,
  query: { text: string; vector: Float32Array }
): string[] {
  const fts = buildFtsQuery(query.text, DEFAULT_MORPHOLOGY)
  const plan = planLexical(fts, store.matchCount)
  const lexical =
    plan.kind === 'none'
      ? []
      : (db
          .prepare(
            `SELECT c.id AS chunkId, c.node_id AS nodeId FROM knowledge_chunks_fts JOIN knowledge_chunks c ON c.id = knowledge_chunks_fts.rowid
            JOIN knowledge_nodes n ON n.id = c.node_id WHERE knowledge_chunks_fts MATCH ?
            ORDER BY ${plan.kind === 'ranked' ? 'bm25(knowledge_chunks_fts)' : 'knowledge_chunks_fts.rowid DESC'} LIMIT 50`
          )
          .all(plan.match) as { chunkId: number; nodeId: string }[])
  const near = index.nearest(collection, query.vector, 30)
  const chunkNode = new Map(store.chunks(near.map((h) => h.chunkId)).map((c) => [c.id, c.nodeId]))
  const nodes = store.summaries([...chunkNode.values()])
  const vector = near.flatMap((h) => {
    const node = nodes.get(chunkNode.get(h.chunkId) ?? '')
    return node ? [{ chunkId: h.chunkId, nodeId: node.id }] : []
  })
  const firstChunk = new Map<string, number>()
  for (const hit of [...lexical, ...vector]) if (!firstChunk.has(hit.nodeId)) firstChunk.set(hit.nodeId, hit.chunkId)
  const ranked = (hits: { nodeId: string }[]): string[] => [...new Set(hits.map((h) => h.nodeId))]
  const fused = reciprocalRankFusion([ranked(lexical), ranked(vector)]).slice(0, 10)
  const summaries = store.summaries(fused.map((f) => f.key))
  const chunks = new Map(store.chunks(fused.map((f) => firstChunk.get(f.key)!)).map((c) => [c.id, c]))
  return fused.flatMap((f) => {
    const chunk = chunks.get(firstChunk.get(f.key)!)
    if (!summaries.has(f.key) || !chunk) return []
    makeSnippet(markdownToPlain(chunk.text), fts.highlight, 240)
    return [f.key]
  })
}

export interface Spread {
  readonly p50: number
  readonly p95: number
}

export interface ColdPairs {
  readonly after: { readonly ms: Spread; readonly reads: Spread | null }
  readonly before: { readonly ms: Spread; readonly reads: Spread | null }
}

/** `runs` pairs of queries, now and before, each with the files put out of the page cache first: wall time and pages read. */
export async function coldPairs(
  files: readonly string[],
  runs: number,
  now: (run: number) => unknown,
  before: (run: number) => unknown,
  spread: (values: number[]) => Spread
): Promise<ColdPairs> {
  const reads = readCalls()
  const rows = {
    after: [] as number[],
    afterReads: [] as number[],
    before: [] as number[],
    beforeReads: [] as number[]
  }
  const measure = async (run: () => unknown, ms: number[], pages: number[]): Promise<void> => {
    evictFromPageCache(...files)
    const from = reads?.() ?? 0
    const started = performance.now()
    await run()
    ms.push(performance.now() - started)
    if (reads) pages.push(reads() - from)
  }
  for (let q = 0; q < runs; q++) {
    await measure(() => now(q), rows.after, rows.afterReads)
    await measure(() => before(q), rows.before, rows.beforeReads)
  }
  return {
    after: { ms: spread(rows.after), reads: reads ? spread(rows.afterReads) : null },
    before: { ms: spread(rows.before), reads: reads ? spread(rows.beforeReads) : null }
  }
}
