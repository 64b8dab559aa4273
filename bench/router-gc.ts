// Garbage accounting for bench:router: a collection before each request (when --expose-gc gave
// us one), each arm's heap growth per request, and the GC pauses that fell inside a request's
// first-token window.
//
// By default the collection is a scavenge of the young generation only: a request allocates
// ~200-280 kB, less than the young generation holds, so none of its own starts inside it, and a
// scavenge leaves no work to background threads. Without it, a scavenge of what earlier requests
// left fell inside a first-token window at random (1-6 ms each, measured), the A/A floor's worst
// rounds. A full collection (`--gc`) was measured to let its concurrent sweeping run into the next
// request. What each arm allocates is still reported, so the router's garbage is not hidden.
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'
import { getHeapStatistics } from 'node:v8'

/** One timed request as the GC accounting sees it. */
export interface Window {
  readonly arm: string
  readonly startMs: number
  readonly firstTokenMs: number
  /** Heap growth from the request's start to its end; a collection inside it makes this smaller. */
  readonly heapGrowthBytes: number
}

export interface GcAccounting {
  /** What is collected before every request (needs --expose-gc). */
  readonly collecting: Collection
  /** Collects (when collecting) and returns the heap's size to measure growth from. */
  beforeRequest(): number
  heapNow(): number
  /** One line per arm: heap growth per request, and GC pauses inside the first-token window. */
  lines(windows: readonly Window[]): string[]
  json(windows: readonly Window[]): Record<string, unknown>
  stop(): void
}

export type Collection = 'young generation' | 'full heap' | 'nothing'

export function gcAccounting(wanted: Collection): GcAccounting {
  const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc
  const collecting: Collection = typeof gc === 'function' ? wanted : 'nothing'
  const pauses: PerformanceEntry[] = []
  const observer = new PerformanceObserver((list) => void pauses.push(...list.getEntries()))
  observer.observe({ entryTypes: ['gc'] })
  const heapNow = (): number => getHeapStatistics().used_heap_size

  const perArm = (
    windows: readonly Window[]
  ): Map<string, { growth: number; hit: number; pausedMs: number; n: number }> => {
    const byArm = new Map<string, Window[]>()
    for (const w of windows) byArm.set(w.arm, [...(byArm.get(w.arm) ?? []), w])
    const out = new Map<string, { growth: number; hit: number; pausedMs: number; n: number }>()
    for (const [arm, list] of byArm) {
      let hit = 0
      let pausedMs = 0
      for (const w of list) {
        const inside = pauses.filter((p) => p.startTime < w.firstTokenMs && p.startTime + p.duration > w.startMs)
        if (inside.length > 0) hit++
        pausedMs += inside.reduce((sum, p) => sum + p.duration, 0)
      }
      const growth = list.map((w) => w.heapGrowthBytes).sort((a, b) => a - b)
      out.set(arm, { growth: growth[growth.length >> 1] ?? NaN, hit, pausedMs, n: list.length })
    }
    return out
  }

  return {
    collecting,
    beforeRequest() {
      if (collecting !== 'nothing') gc?.({ type: collecting === 'full heap' ? 'major' : 'minor' })
      return heapNow()
    },
    heapNow,
    lines: (windows) =>
      [...perArm(windows)].map(
        ([arm, a]) =>
          `  ${arm.padEnd(8)} heap growth per request ${(a.growth / 1024).toFixed(1).padStart(6)} kB (median); GC inside the first-token window in ${a.hit}/${a.n} requests, ${a.pausedMs.toFixed(2)} ms in all`
      ),
    json: (windows) =>
      Object.fromEntries(
        [...perArm(windows)].map(([arm, a]) => [
          arm,
          {
            heapGrowthKb: Number((a.growth / 1024).toFixed(1)),
            gcInFirstTokenWindow: a.hit,
            requests: a.n,
            gcPausedMs: Number(a.pausedMs.toFixed(3))
          }
        ])
      ),
    stop: () => observer.disconnect()
  }
}
