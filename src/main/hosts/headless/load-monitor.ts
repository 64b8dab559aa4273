import { monitorEventLoopDelay } from 'node:perf_hooks'

/** How far behind the event loop runs: the 99th percentile of its delay over the last window. */
export interface LoadMonitor {
  lagMs(): number
  close(): void
}

const WINDOW_MS = 1000

export function createLoadMonitor(): LoadMonitor {
  const histogram = monitorEventLoopDelay({ resolution: 20 })
  histogram.enable()
  let lag = 0
  // A timer that fires late is itself the measure; each window starts afresh so a past spike does not linger.
  const timer = setInterval(() => {
    lag = histogram.count > 0 ? histogram.percentile(99) / 1e6 : 0
    histogram.reset()
  }, WINDOW_MS)
  timer.unref()
  return {
    lagMs: () => lag,
    close() {
      clearInterval(timer)
      histogram.disable()
    }
  }
}
