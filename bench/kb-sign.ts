import { loadavg } from 'node:os'
import { BLOCK_SLOTS, PREFIX_KEEP_PER_HIT, PREFIX_WORDS, createSignIndex } from '../src/main/knowledge/sign-index'
import { MIN_CANDIDATES, OVERSAMPLE } from '../src/main/knowledge/vector-index'
import { stageBefore } from './kb-sign-before'
import { signData } from './kb-sign-data'

// `npm run bench:kb-sign [-- --chunks N] [-- --queries N] [-- --json]`: the sign stage alone (the
// two-stage scan that picks the candidates the fine codes rescore) over N codes of bench:kb's
// corpus in memory (1,000,000 by default), before and after, interleaved query by query on the
// same codes: wall and CPU time, per code, the shortlists compared, and recall@10 of the
// candidates against the exact top 10 by cosine.
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

function main(): void {
  const say = (line: string): void => {
    if (!json) process.stdout.write(`${line}\n`)
  }
  const loadBefore = loadavg()[0]!
  const data = signData(CHUNKS, TRUTH_QUERIES, (line) => process.stderr.write(`\r${line}`))
  const { words, codes } = data
  // The index as the app fills it at a start: block after block.
  const index = createSignIndex(words, { capacity: CHUNKS })
  for (let from = 0; from < CHUNKS; from += BLOCK_SLOTS) {
    const n = Math.min(BLOCK_SLOTS, CHUNKS - from)
    index.appendStored(
      Float64Array.from({ length: n }, (_, i) => from + i),
      codes.subarray(from * words, (from + n) * words),
      null
    )
  }
  const before = stageBefore(codes, CHUNKS, words, PREFIX_WORDS)
  const stages = {
    before: (code: Uint32Array): number[] => before(code, SHORTLIST, CANDIDATES),
    after: (code: Uint32Array): number[] => index.nearestSlots(code, CANDIDATES)
  }
  const runs = { before: [] as Timing[], after: [] as Timing[] }
  const ratios: number[] = []
  let differing = 0
  const passesFrom = index.prefixPasses
  // Queries numbered from TRUTH_QUERIES warm up; then 0 … QUERIES - 1 are timed, the first TRUTH_QUERIES of them with their exact top 10.
  const hits = { before: 0, after: 0 }
  for (let n = 0; n < QUERIES + WARMUP; n++) {
    const q = n < WARMUP ? QUERIES + n : n - WARMUP
    const { code } = data.query(q)
    // Alternate which goes first, so neither always meets the caches the other warmed.
    const order = n % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)
    const found = { before: [] as number[], after: [] as number[] }
    for (const stage of order) {
      const [slots, timing] = timed(() => stages[stage](code))
      found[stage] = slots
      if (n >= WARMUP) runs[stage].push(timing)
    }
    if (n < WARMUP) continue
    const [b, a] = [runs.before.at(-1)!, runs.after.at(-1)!]
    ratios.push(b.cpuMs / Math.max(a.cpuMs, 0.001))
    if (found.before.join() !== found.after.join()) differing++
    if (q >= TRUTH_QUERIES) continue
    // Slots are chunk numbers here (the codes were appended in order).
    const truth = new Set(data.truth[q])
    for (const stage of order) hits[stage] += found[stage].filter((slot) => truth.has(slot)).length
  }
  const passes = index.prefixPasses - passesFrom
  const row = (name: string, t: Timing[]): Record<string, number | string> => ({
    stage: name,
    wallP50: percentile(
      t.map((x) => x.wallMs),
      50
    ),
    wallP95: percentile(
      t.map((x) => x.wallMs),
      95
    ),
    cpuP50: percentile(
      t.map((x) => x.cpuMs),
      50
    ),
    cpuP95: percentile(
      t.map((x) => x.cpuMs),
      95
    )
  })
  const rows = [row('before', runs.before), row('after', runs.after)]
  const result = {
    chunks: CHUNKS,
    candidates: CANDIDATES,
    shortlist: SHORTLIST,
    queries: QUERIES,
    loadAverage: [loadBefore, loadavg()[0]!],
    rows,
    cpuRatioP50: percentile(ratios, 50),
    differingShortlists: differing,
    passesPerQuery: passes / (QUERIES + WARMUP),
    recallAt10: { before: hits.before / (10 * TRUTH_QUERIES), after: hits.after / (10 * TRUTH_QUERIES) }
  }
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`)
  say(JSON.stringify(result, null, 2))
}

main()
