import { loadavg } from 'node:os'
import { BLOCK_SLOTS, PREFIX_KEEP_PER_HIT, PREFIX_WORDS, createSignIndex } from '../src/main/knowledge/sign-index'
import { MIN_CANDIDATES, OVERSAMPLE } from '../src/main/knowledge/vector-index'
import { stageBefore } from './kb-sign-before'
import { signData, type SignData } from './kb-sign-data'

// `npm run bench:kb-sign [-- --chunks N] [-- --queries N] [-- --json]`: the sign stage alone (the
// two-stage scan that picks the candidates the fine codes rescore) over N codes of bench:kb's
// corpus in memory (1,000,000 by default), before and after, interleaved query by query on the
// same codes: wall and CPU time, per code, the shortlists compared, and recall@10 of the
// candidates against the exact top 10 by cosine. Two slot orders: as the corpus draws them
// (topics scattered), and grouped by topic (as a knowledge base holds a document's chunks side by
// side: a query's neighbours then sit in one run of slots, which the stage's sample may miss or
// over-count).
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
    recallAt10: { before: hits.before / (10 * TRUTH_QUERIES), after: hits.after / (10 * TRUTH_QUERIES) }
  }
}

function main(): void {
  const loadBefore = loadavg()[0]!
  const data = signData(CHUNKS, TRUTH_QUERIES, (line) => process.stderr.write(`\r${line}`))
  const drawn = Uint32Array.from({ length: CHUNKS }, (_, i) => i)
  const byTopic = Uint32Array.from(drawn).sort((a, b) => data.corpus.topicOf(a) - data.corpus.topicOf(b) || a - b)
  const layouts = [measureLayout('as drawn', data, drawn), measureLayout('grouped by topic', data, byTopic)]
  const result = {
    chunks: CHUNKS,
    candidates: CANDIDATES,
    shortlist: SHORTLIST,
    queries: QUERIES,
    loadAverage: [loadBefore, loadavg()[0]!],
    layouts
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
  process.stdout.write(`${lines.join('\n')}\n`)
}

main()
