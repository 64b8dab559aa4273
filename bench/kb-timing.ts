import type { Spread } from './kb-io'

/** Timing and percentiles for bench/kb.ts. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2))
}

export const spread = (values: readonly number[]): Spread => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95)
})

export function time<T>(run: () => T): [T, number] {
  const started = performance.now()
  const value = run()
  return [value, performance.now() - started]
}

/** Wall and CPU milliseconds of one run: on a shared machine the CPU time is the part that is ours. */
export function timeBoth<T>(run: () => T): [T, number, number] {
  const cpu = process.cpuUsage()
  const [value, ms] = time(run)
  const used = process.cpuUsage(cpu)
  return [value, ms, (used.user + used.system) / 1000]
}

/** The same for a search that awaits its lexical half (the process's CPU: the worker's thread included). */
export async function timeBothAsync<T>(run: () => Promise<T>): Promise<[T, number, number]> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const value = await run()
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  return [value, ms, (used.user + used.system) / 1000]
}
