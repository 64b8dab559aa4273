import { loadavg } from 'node:os'
import { BLOCK_SLOTS, PREFIX_KEEP_PER_HIT, PREFIX_WORDS, createSignIndex } from '../src/main/knowledge/sign-index'
import { MIN_CANDIDATES, OVERSAMPLE } from '../src/main/knowledge/vector-index'
import { hamming, nearestPositions, signBits } from '../src/main/knowledge/sign-bits'
import { stageBefore } from './kb-sign-before'
import { DIMENSION, harderCorpus, signData, type SignData } from './kb-sign-data'

// `npm run bench:kb-sign [-- --chunks N] [-- --queries N] [-- --json]`: the sign stage alone (the
// two-stage scan that picks the candidates the fine codes rescore) over N codes of bench:kb's
// corpus in memory (1,000,000 by default), before and after, interleaved query by query on the
// same codes: wall and CPU time, per code, the shortlists compared, and recall@10 of the
// candidates against the exact top 10 by cosine. Two slot orders: as the corpus draws them
// (topics scattered), and grouped by topic (as a knowledge base holds a document's chunks side by
// side: a query's neighbours then sit in one run of slots, which the stage's sample may miss or
// over-count). `--prefix-width` also measures recall with a first stage of 4 words instead of 8, on
// this corpus and on a harder one (kb-sign-data.ts).
const json = process.argv.includes('--json')
const flag = (name: string): number | null => {
  const at = process.argv.indexOf(name)
  return at > 0 ? Number(process.argv[at + 1]) : null
}
const CHUNKS = flag('--chunks') ?? 1_000_000
const QUERIES = flag('--queries') ?? 300
/** Queries whose exact top 10 is known (computed once with the codes). */
const TRUTH_QUERIES = 100
const WARMUP = 20
/** What the hybrid's vector side (its top 30) asks of the sign codes. */
const CANDIDATES = Math.max(MIN_CANDIDATES, 30 * OVERSAMPLE)
const SHORTLIST = PREFIX_KEEP_PER_HIT * CANDIDATES

type Stage = 'before' | 'after'
interface Timing {
  wallMs: number
  cpuMs: number
}

/** Wall and CPU time of this process (one thread does the work): on a shared machine the CPU time is the part that is ours. */
function timed<T>(run: () => T): [T, Timing] {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const value = run()
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  return [value, { wallMs, cpuMs: (used.user + used.system) / 1000 }]
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

interface LayoutResult {
  layout: string
  /** The first search after each stage was made (WebAssembly not yet optimised), wall ms. */
  firstSearchMs: Record<Stage, number>
  stages: Record<Stage, { wallP50: number; wallP95: number; cpuP50: number; cpuP95: number; cpuNsPerCodeP50: number }>
  /** Median over queries of before's CPU time over after's. */
  cpuRatioP50: number
  differingShortlists: number
  prefixPassesPerQuery: number
  recallAt10: Record<Stage, number>
}

/** Both stages over the codes in the slot order `order` gives (slot → chunk), interleaved query by query. */
function measureLayout(layout: string, data: SignData, order: Uint32Array): LayoutResult {
  const { words, chunks } = data
  const codes = new Uint32Array(chunks * words)
  order.forEach((chunk, slot) => codes.set(data.codes.subarray(chunk * words, (chunk + 1) * words), slot * words))
  // The index as the app fills it at a start: block after block.
  const index = createSignIndex(words, { capacity: chunks })
  for (let from = 0; from < chunks; from += BLOCK_SLOTS) {
    const n = Math.min(BLOCK_SLOTS, chunks - from)
    index.appendStored(
      Float64Array.from(order.subarray(from, from + n)),
      codes.subarray(from * words, (from + n) * words),
      null
    )
  }
  const before = stageBefore(codes, chunks, words, PREFIX_WORDS)
  const stages: Record<Stage, (code: Uint32Array) => number[]> = {
    before: (code) => before(code, SHORTLIST, CANDIDATES),
    after: (code) => index.nearestSlots(code, CANDIDATES)
  }
  const runs: Record<Stage, Timing[]> = { before: [], after: [] }
  const firstSearchMs = { before: 0, after: 0 }
  const hits = { before: 0, after: 0 }
  const ratios: number[] = []
  let differing = 0
  const passesFrom = index.prefixPasses
  const truthQueries = Math.min(QUERIES, TRUTH_QUERIES)
  // Queries numbered from QUERIES on warm up; then 0 … QUERIES - 1 are timed, the first TRUTH_QUERIES of them with their exact top 10.
  for (let n = 0; n < QUERIES + WARMUP; n++) {
    const q = n < WARMUP ? QUERIES + n : n - WARMUP
    const { code } = data.query(q)
    // Alternate which goes first, so neither always meets the caches the other warmed.
    const turns: readonly Stage[] = n % 2 === 0 ? ['before', 'after'] : ['after', 'before']
    const found: Record<Stage, number[]> = { before: [], after: [] }
    const timing: Record<Stage, Timing> = { before: { wallMs: 0, cpuMs: 0 }, after: { wallMs: 0, cpuMs: 0 } }
    for (const stage of turns) [found[stage], timing[stage]] = timed(() => stages[stage](code))
    if (n === 0) for (const stage of turns) firstSearchMs[stage] = timing[stage].wallMs
    if (n < WARMUP) continue
    for (const stage of turns) runs[stage].push(timing[stage])
    ratios.push(timing.before.cpuMs / Math.max(timing.after.cpuMs, 0.001))
    if (found.before.join() !== found.after.join()) differing++
    if (q >= TRUTH_QUERIES) continue
    const truth = new Set(data.truth[q])
    for (const stage of turns) hits[stage] += found[stage].filter((slot) => truth.has(order[slot]!)).length
  }
  const summary = (t: readonly Timing[]): LayoutResult['stages'][Stage] => {
    const wall = t.map((x) => x.wallMs)
    const cpu = t.map((x) => x.cpuMs)
    return {
      wallP50: percentile(wall, 50),
      wallP95: percentile(wall, 95),
      cpuP50: percentile(cpu, 50),
      cpuP95: percentile(cpu, 95),
      cpuNsPerCodeP50: (percentile(cpu, 50) * 1e6) / chunks
    }
  }
  return {
    layout,
    firstSearchMs,
    stages: { before: summary(runs.before), after: summary(runs.after) },
    cpuRatioP50: percentile(ratios, 50),
    differingShortlists: differing,
    prefixPassesPerQuery: (index.prefixPasses - passesFrom) / (QUERIES + WARMUP),
    recallAt10: { before: hits.before / (10 * truthQueries), after: hits.after / (10 * truthQueries) }
  }
}

/** First-stage widths compared by `--prefix-width`: words read per code, and the shortlist's multiple. */
const WIDTHS: readonly { name: string; words: number; shortlist: number }[] = [
  { name: `${PREFIX_WORDS} words (the app)`, words: PREFIX_WORDS, shortlist: 1 },
  { name: '4 words', words: 4, shortlist: 1 },
  { name: '4 words, twice the shortlist', words: 4, shortlist: 2 },
  { name: 'whole code, one stage', words: 0, shortlist: 0 }
]

/** Recall@10 of the candidates of each first-stage width (counted in JavaScript, by brute force), over queries with a known top 10. */
function recallByWidth(
  codes: Uint32Array,
  chunks: number,
  queries: readonly { code: Uint32Array; truth: ReadonlySet<number> }[]
): Record<string, number> {
  const words = DIMENSION / 32
  // The shortlist at the share of the collection the app's is of a million.
  const shortlist = Math.max(CANDIDATES, Math.round((SHORTLIST * chunks) / 1_000_000))
  const distances = new Uint16Array(chunks)
  const recall: Record<string, number> = {}
  for (const width of WIDTHS) {
    let hits = 0
    for (const { code, truth } of queries) {
      const firstWords = width.words || words
      for (let slot = 0; slot < chunks; slot++) distances[slot] = hamming(codes, slot * words, code, firstWords)
      let found = nearestPositions(
        distances,
        chunks,
        width.words ? shortlist * width.shortlist : CANDIDATES,
        firstWords * 32
      )
      if (width.words) {
        const listed = found
        listed.forEach((slot, i) => (distances[i] = hamming(codes, slot * words, code, words)))
        found = nearestPositions(distances, listed.length, CANDIDATES, words * 32).map((i) => listed[i]!)
      }
      hits += found.filter((slot) => truth.has(slot)).length
    }
    recall[width.name] = hits / (10 * queries.length)
  }
  return recall
}

/** The harder corpus at 100,000 chunks, with the exact top 10 of 60 queries by cosine. */
function harderRecallByWidth(): Record<string, number> {
  const chunks = 100_000
  const corpus = harderCorpus(chunks)
  // Locals: an imported binding read in the inner loop is a getter call per read under the bench's loader.
  const vectors = corpus.vectors
  const dimension = DIMENSION
  const queries = Array.from({ length: 60 }, (_, q) => {
    const vector = corpus.query(q)
    const similarity = new Float64Array(chunks)
    for (let i = 0, at = 0; i < chunks; i++, at += dimension) {
      let dot = 0
      for (let d = 0; d < dimension; d++) dot += vector[d]! * vectors[at + d]!
      similarity[i] = dot
    }
    const truth = new Set([...similarity.keys()].sort((a, b) => similarity[b]! - similarity[a]!).slice(0, 10))
    return { code: signBits(vector), truth }
  })
  return recallByWidth(corpus.codes, chunks, queries)
}

function main(): void {
  const loadBefore = loadavg()[0]!
  const data = signData(CHUNKS, TRUTH_QUERIES, (line) => process.stderr.write(`\r${line}`))
  const drawn = Uint32Array.from({ length: CHUNKS }, (_, i) => i)
  const byTopic = Uint32Array.from(drawn).sort((a, b) => data.corpus.topicOf(a) - data.corpus.topicOf(b) || a - b)
  const layouts = [measureLayout('as drawn', data, drawn), measureLayout('grouped by topic', data, byTopic)]
  const widths = process.argv.includes('--prefix-width')
    ? {
        corpus: recallByWidth(
          data.codes,
          CHUNKS,
          data.truth.map((ids, q) => ({ code: data.query(q).code, truth: new Set(ids) }))
        ),
        harder: harderRecallByWidth()
      }
    : null
  const result = {
    chunks: CHUNKS,
    candidates: CANDIDATES,
    shortlist: SHORTLIST,
    queries: QUERIES,
    loadAverage: [loadBefore, loadavg()[0]!],
    layouts,
    recallByPrefixWidth: widths
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  const ms = (n: number): string => n.toFixed(2)
  const lines = [
    `Sign stage alone, ${CHUNKS.toLocaleString('en')} codes of 768 bits, ${CANDIDATES} candidates from a shortlist of ${SHORTLIST}, ${QUERIES} queries interleaved; load average ${result.loadAverage.map((l) => l.toFixed(1)).join(' → ')}`,
    '| slot order | stage | wall p50 / p95 ms | CPU p50 / p95 ms | CPU ns per code | first search ms | recall@10 of the candidates |',
    '| --- | --- | --- | --- | --- | --- | --- |'
  ]
  for (const r of layouts)
    for (const stage of ['before', 'after'] as const) {
      const s = r.stages[stage]
      lines.push(
        `| ${r.layout} | ${stage} | ${ms(s.wallP50)} / ${ms(s.wallP95)} | ${ms(s.cpuP50)} / ${ms(s.cpuP95)} | ${s.cpuNsPerCodeP50.toFixed(2)} | ${ms(r.firstSearchMs[stage])} | ${r.recallAt10[stage].toFixed(3)} |`
      )
    }
  for (const r of layouts)
    lines.push(
      `${r.layout}: before / after CPU per query, median ${r.cpuRatioP50.toFixed(2)}x; shortlists differing ${r.differingShortlists} of ${QUERIES}; passes over the prefixes per query ${r.prefixPassesPerQuery.toFixed(3)}`
    )
  if (widths) {
    lines.push(
      '',
      `Recall@10 of the ${CANDIDATES} candidates by first stage (shortlist ${SHORTLIST} per million codes): bench:kb's corpus at ${CHUNKS.toLocaleString('en')} / a harder one at 100,000`
    )
    for (const width of WIDTHS)
      lines.push(`${width.name}: ${widths.corpus[width.name]!.toFixed(3)} / ${widths.harder[width.name]!.toFixed(3)}`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

main()
