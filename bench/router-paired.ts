// Paired rounds for bench:router: the same request down each path in one round, in an order drawn
// afresh for every round, and the percentiles taken over the per-round differences (not differences
// of percentiles). Each round has a reference request (straight to the server), one request down
// each measured path, and a second reference request: second − reference is the A/A floor, what two
// identical requests differ by on this machine at that moment, printed beside every figure.

export interface Sample {
  ttftMs: number
  tokenLatenciesMs: number[]
  /** CPU time the bench's thread spent from sending the request to its first token. */
  ttftCpuMs: number
  /** The same after the first token, per later token. */
  perTokenCpuMs: number
  /** Run-queue wait of the watched main threads (the bench's, the fake server's, the app's) before the first token. */
  ttftWaitMs: number
  /** The same over the whole request. */
  requestWaitMs: number
}

/** One round: the reference request, one per measured path (in the order they were named), and a second reference. */
export interface Round {
  readonly direct: Sample
  readonly measured: readonly Sample[]
  readonly second: Sample
}

export interface RoundArms {
  readonly direct: () => Promise<Sample>
  readonly measured: readonly (() => Promise<Sample>)[]
  readonly second: () => Promise<Sample>
}

export interface Summary {
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly max: number
}

/** A thread that waited less than this for a CPU was not held back by another process. */
export const QUIET_WAIT_MS = 0.05

/** The arms' indexes in a uniformly drawn order (Fisher-Yates): none is always first (a warm socket) or last. */
export function drawOrder(arms: number, random: () => number): number[] {
  const order = Array.from({ length: arms }, (_, i) => i)
  for (let i = arms - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  return order
}

/** `arms(i)` gives round i's requests; runs `warmUp` rounds first, not kept. */
export async function pairedRounds(
  rounds: number,
  warmUp: number,
  random: () => number,
  arms: (i: number) => RoundArms
): Promise<Round[]> {
  const run: Round[] = []
  for (let i = -warmUp; i < rounds; i++) {
    const round = arms(i)
    const all = [round.direct, ...round.measured, round.second]
    const samples: Sample[] = []
    for (const arm of drawOrder(all.length, random)) samples[arm] = await all[arm]!()
    if (i < 0) continue
    run.push({ direct: samples[0]!, measured: samples.slice(1, -1), second: samples[samples.length - 1]! })
  }
  return run
}

const armsOf = (r: Round): Sample[] => [r.direct, ...r.measured, r.second]
/** Rounds where no arm's threads waited for a CPU before the first token. */
const quietToFirstToken = (run: readonly Round[]): Round[] =>
  run.filter((r) => armsOf(r).every((s) => s.ttftWaitMs < QUIET_WAIT_MS))
/** Rounds where no arm's threads waited for a CPU at all. */
const quietThroughout = (run: readonly Round[]): Round[] =>
  run.filter((r) => armsOf(r).every((s) => s.requestWaitMs < QUIET_WAIT_MS))

/** Which two requests of a round a figure compares: `of` minus `against`. */
export interface Comparison {
  readonly label: string
  readonly of: (r: Round) => Sample
  readonly against: (r: Round) => Sample
  /** The p99 targets, where this comparison has any. */
  readonly target?: { readonly ttft: number; readonly perToken: number }
}

type Differences = { overhead: number[]; floor: number[] }

/** of − against and second − direct of one figure, per round. */
function perRound(run: readonly Round[], c: Comparison, figure: (s: Sample) => number): Differences {
  return {
    overhead: run.map((r) => figure(c.of(r)) - figure(c.against(r))),
    floor: run.map((r) => figure(r.second) - figure(r.direct))
  }
}

/** The same per token: token k of one request against token k of the other. */
function perToken(run: readonly Round[], c: Comparison): Differences {
  const minus = (s: Sample, d: Sample): number[] =>
    s.tokenLatenciesMs.map((ms, k) => ms - (d.tokenLatenciesMs[k] ?? ms))
  return {
    overhead: run.flatMap((r) => minus(c.of(r), c.against(r))),
    floor: run.flatMap((r) => minus(r.second, r.direct))
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
}

export function summary(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN
  }
}

const ms = (v: number, width = 7): string => v.toFixed(3).padStart(width)

export const spread = (s: Summary): string =>
  `p50 ${ms(s.p50)}   p90 ${ms(s.p90)}   p99 ${ms(s.p99)}   max ${ms(s.max, 8)}`

export const rounded = (s: Summary): Summary => ({
  p50: Number(s.p50.toFixed(3)),
  p90: Number(s.p90.toFixed(3)),
  p99: Number(s.p99.toFixed(3)),
  max: Number(s.max.toFixed(3))
})

/** The floor's worst 1% of rounds, and how many of them had a thread wait ≥ 0.1 ms for a CPU before a first token. */
function floorTail(run: readonly Round[]): { rounds: number; waited: number } {
  const worst = [...run]
    .sort((a, b) => Math.abs(b.second.ttftMs - b.direct.ttftMs) - Math.abs(a.second.ttftMs - a.direct.ttftMs))
    .slice(0, Math.max(1, Math.floor(run.length / 100)))
  return { rounds: worst.length, waited: worst.filter((r) => armsOf(r).some((s) => s.ttftWaitMs >= 0.1)).length }
}

/** One figure's row: the differences' spread, and beside it the A/A floor's p50 and p99 over the same rounds. */
function row(label: string, d: Differences, target?: number): string {
  if (d.overhead.length === 0) return `    ${label.padEnd(26)} no such rounds`
  const floor = summary(d.floor)
  const goal = target === undefined ? '' : `   target p99 < ${target}`
  return `    ${label.padEnd(26)} ${spread(summary(d.overhead))}   | A/A floor p50 ${ms(floor.p50)} p99 ${ms(floor.p99)}${goal}`
}

/** The table rows of one paired run, one block per comparison; `runQueue` is whether waits could be read. */
export function pairedLines(run: readonly Round[], comparisons: readonly Comparison[], runQueue: boolean): string[] {
  const toFirst = quietToFirstToken(run)
  const throughout = quietThroughout(run)
  const lines: string[] = []
  if (runQueue) {
    const tail = floorTail(run)
    lines.push(
      `  run-queue wait before the first token (the watched main threads together), per request: ${spread(summary(run.flatMap((r) => armsOf(r).map((s) => s.ttftWaitMs))))}`,
      `  the A/A floor's worst ${tail.rounds} rounds: ${tail.waited} had a thread wait ≥ 0.1 ms for a CPU before a first token`,
      `  rounds where no thread waited for a CPU (< ${QUIET_WAIT_MS} ms): ${toFirst.length}/${run.length} before any first token, ${throughout.length}/${run.length} during any request`
    )
  }
  for (const c of comparisons) {
    lines.push(
      `  ${c.label}:`,
      row(
        'TTFT',
        perRound(run, c, (s) => s.ttftMs),
        c.target?.ttft
      ),
      row('per token', perToken(run, c), c.target?.perToken)
    )
    if (runQueue)
      lines.push(
        row(
          'TTFT, quiet rounds',
          perRound(toFirst, c, (s) => s.ttftMs)
        ),
        row('per token, quiet rounds', perToken(throughout, c))
      )
    lines.push(
      row(
        'CPU to the first token',
        perRound(run, c, (s) => s.ttftCpuMs)
      ),
      row(
        'CPU per later token',
        perRound(run, c, (s) => s.perTokenCpuMs)
      )
    )
  }
  return lines
}

export function pairedJson(run: readonly Round[], comparisons: readonly Comparison[]): Record<string, unknown> {
  const both = (d: Differences) => ({ overhead: rounded(summary(d.overhead)), floor: rounded(summary(d.floor)) })
  const toFirst = quietToFirstToken(run)
  const throughout = quietThroughout(run)
  return {
    ttftWaitMs: rounded(summary(run.flatMap((r) => armsOf(r).map((s) => s.ttftWaitMs)))),
    floorTail: floorTail(run),
    quietRounds: { toFirstToken: toFirst.length, throughout: throughout.length },
    ...Object.fromEntries(
      comparisons.map((c) => [
        c.label,
        {
          ttftMs: both(perRound(run, c, (s) => s.ttftMs)),
          perTokenMs: both(perToken(run, c)),
          quietTtftMs: both(perRound(toFirst, c, (s) => s.ttftMs)),
          quietPerTokenMs: both(perToken(throughout, c)),
          cpu: {
            ttftMs: both(perRound(run, c, (s) => s.ttftCpuMs)),
            perTokenMs: both(perRound(run, c, (s) => s.perTokenCpuMs))
          }
        }
      ])
    )
  }
}
