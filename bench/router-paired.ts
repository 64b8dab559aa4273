// Paired rounds for bench:router: the same request down each path in one round, the order rotating,
// and the percentiles taken over the per-round differences (not differences of percentiles).

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

/** One round: a direct request, the measured one, and a second direct one (the A/A floor). */
export interface Round {
  readonly direct: Sample
  readonly measured: Sample
  readonly second: Sample
}

export interface Summary {
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly max: number
}

// Every order of the three arms, so none is always first (a warm socket) or last.
const ORDERS = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
  [0, 2, 1],
  [2, 1, 0],
  [1, 0, 2]
] as const

/** A thread that waited less than this for a CPU was not held back by another process. */
export const QUIET_WAIT_MS = 0.05

/** `arms(i)` gives round i's direct request, the measured one, and a second direct one; runs `warmUp` rounds first. */
export async function pairedRounds(
  rounds: number,
  warmUp: number,
  arms: (i: number) => readonly [() => Promise<Sample>, () => Promise<Sample>, () => Promise<Sample>]
): Promise<Round[]> {
  const run: Round[] = []
  for (let i = -warmUp; i < rounds; i++) {
    const round = arms(i)
    const samples: Sample[] = []
    for (const arm of ORDERS[((i % ORDERS.length) + ORDERS.length) % ORDERS.length]!) samples[arm] = await round[arm]()
    if (i < 0) continue
    const [direct, measured, second] = samples as [Sample, Sample, Sample]
    run.push({ direct, measured, second })
  }
  return run
}

const armsOf = (r: Round): Sample[] => [r.direct, r.measured, r.second]
/** Rounds where no arm's threads waited for a CPU before the first token. */
const quietToFirstToken = (run: readonly Round[]): Round[] =>
  run.filter((r) => armsOf(r).every((s) => s.ttftWaitMs < QUIET_WAIT_MS))
/** Rounds where no arm's threads waited for a CPU at all. */
const quietThroughout = (run: readonly Round[]): Round[] =>
  run.filter((r) => armsOf(r).every((s) => s.requestWaitMs < QUIET_WAIT_MS))

/** Measured − direct and second − direct of one figure, per round. */
function perRound(run: readonly Round[], figure: (s: Sample) => number): { overhead: number[]; floor: number[] } {
  return {
    overhead: run.map((r) => figure(r.measured) - figure(r.direct)),
    floor: run.map((r) => figure(r.second) - figure(r.direct))
  }
}

/** The same per token: token k of one request against token k of the direct one. */
function perToken(run: readonly Round[]): { overhead: number[]; floor: number[] } {
  const against = (s: Sample, d: Sample): number[] =>
    s.tokenLatenciesMs.map((ms, k) => ms - (d.tokenLatenciesMs[k] ?? ms))
  return {
    overhead: run.flatMap((r) => against(r.measured, r.direct)),
    floor: run.flatMap((r) => against(r.second, r.direct))
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

export const spread = (s: Summary): string =>
  `p50 ${s.p50.toFixed(3).padStart(7)}   p90 ${s.p90.toFixed(3).padStart(7)}   p99 ${s.p99.toFixed(3).padStart(7)}   max ${s.max.toFixed(3).padStart(8)}`

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

/** The table rows of one paired run, with the p99 targets; `runQueue` is whether waits could be read. */
export function pairedLines(
  run: readonly Round[],
  targetP99: { ttft: number; perToken: number },
  runQueue: boolean
): string[] {
  const pair = (label: string, d: { overhead: number[]; floor: number[] }, target?: number): string[] =>
    d.overhead.length === 0
      ? [`  ${label.padEnd(22)} no such rounds`]
      : [
          `  ${label.padEnd(22)} ${spread(summary(d.overhead))}${target === undefined ? '' : `   (target p99 < ${target})`}`,
          `    A/A floor            ${spread(summary(d.floor))}`
        ]
  const lines = [
    ...pair(
      'TTFT overhead',
      perRound(run, (s) => s.ttftMs),
      targetP99.ttft
    ),
    ...pair('per-token overhead', perToken(run), targetP99.perToken)
  ]
  if (runQueue) {
    const toFirst = quietToFirstToken(run)
    const throughout = quietThroughout(run)
    const tail = floorTail(run)
    lines.push(
      `  run-queue wait before the first token (the watched main threads together), per request: ${spread(summary(run.flatMap((r) => armsOf(r).map((s) => s.ttftWaitMs))))}`,
      `  the A/A floor's worst ${tail.rounds} rounds: ${tail.waited} had a thread wait ≥ 0.1 ms for a CPU before a first token`,
      `  rounds where no thread waited for a CPU (< ${QUIET_WAIT_MS} ms) before the first token of any arm: ${toFirst.length}/${run.length}`,
      ...pair(
        'TTFT overhead',
        perRound(toFirst, (s) => s.ttftMs)
      ),
      `  rounds where no thread waited for a CPU during any arm: ${throughout.length}/${run.length}`,
      ...pair('per-token overhead', perToken(throughout))
    )
  }
  lines.push(
    `  CPU time of the bench's thread, which no wait for a CPU lengthens:`,
    ...pair(
      'to the first token',
      perRound(run, (s) => s.ttftCpuMs)
    ),
    ...pair(
      'per later token',
      perRound(run, (s) => s.perTokenCpuMs)
    )
  )
  return lines
}

export function pairedJson(run: readonly Round[]): Record<string, unknown> {
  const both = (d: { overhead: number[]; floor: number[] }) => ({
    overhead: rounded(summary(d.overhead)),
    floor: rounded(summary(d.floor))
  })
  const toFirst = quietToFirstToken(run)
  const throughout = quietThroughout(run)
  return {
    ttftMs: both(perRound(run, (s) => s.ttftMs)),
    perTokenMs: both(perToken(run)),
    ttftWaitMs: rounded(summary(run.flatMap((r) => armsOf(r).map((s) => s.ttftWaitMs)))),
    floorTail: floorTail(run),
    quietToFirstToken: { rounds: toFirst.length, ttftMs: both(perRound(toFirst, (s) => s.ttftMs)) },
    quietThroughout: { rounds: throughout.length, perTokenMs: both(perToken(throughout)) },
    cpu: {
      ttftMs: both(perRound(run, (s) => s.ttftCpuMs)),
      perTokenMs: both(perRound(run, (s) => s.perTokenCpuMs))
    }
  }
}
