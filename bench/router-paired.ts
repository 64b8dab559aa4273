// Paired rounds for bench:router: the same request down each path in one round, the order rotating,
// and the percentiles taken over the per-round differences (not differences of percentiles).

export interface Sample {
  ttftMs: number
  tokenLatenciesMs: number[]
}

/** Per-round differences, ms: measured − direct, and the A/A floor (a second direct − direct). */
export interface PairedRun {
  readonly ttft: number[]
  readonly ttftFloor: number[]
  readonly perToken: number[]
  readonly perTokenFloor: number[]
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

/** `arms(i)` gives round i's direct request, the measured one, and a second direct one; runs `warmUp` rounds first. */
export async function pairedRounds(
  rounds: number,
  warmUp: number,
  arms: (i: number) => readonly [() => Promise<Sample>, () => Promise<Sample>, () => Promise<Sample>]
): Promise<PairedRun> {
  const run: PairedRun = { ttft: [], ttftFloor: [], perToken: [], perTokenFloor: [] }
  for (let i = -warmUp; i < rounds; i++) {
    const round = arms(i)
    const samples: Sample[] = []
    for (const arm of ORDERS[((i % ORDERS.length) + ORDERS.length) % ORDERS.length]!) samples[arm] = await round[arm]()
    if (i < 0) continue
    const [d, m, a] = samples as [Sample, Sample, Sample]
    run.ttft.push(m.ttftMs - d.ttftMs)
    run.ttftFloor.push(a.ttftMs - d.ttftMs)
    m.tokenLatenciesMs.forEach((ms, k) => run.perToken.push(ms - (d.tokenLatenciesMs[k] ?? ms)))
    a.tokenLatenciesMs.forEach((ms, k) => run.perTokenFloor.push(ms - (d.tokenLatenciesMs[k] ?? ms)))
  }
  return run
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

/** The table rows of one paired run, with the p99 targets. */
export function pairedLines(run: PairedRun, targetP99: { ttft: number; perToken: number }): string[] {
  return [
    `  TTFT overhead          ${spread(summary(run.ttft))}   (target p99 < ${targetP99.ttft})`,
    `    A/A floor            ${spread(summary(run.ttftFloor))}`,
    `  per-token overhead     ${spread(summary(run.perToken))}   (target p99 < ${targetP99.perToken})`,
    `    A/A floor            ${spread(summary(run.perTokenFloor))}`
  ]
}

export function pairedJson(run: PairedRun): Record<string, Summary> {
  return {
    ttftOverheadMs: rounded(summary(run.ttft)),
    ttftFloorMs: rounded(summary(run.ttftFloor)),
    perTokenOverheadMs: rounded(summary(run.perToken)),
    perTokenFloorMs: rounded(summary(run.perTokenFloor))
  }
}
