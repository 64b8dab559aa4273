/**
 * When a crashed process may start again: exponential backoff from the
 * base, and at most `maxPerHour` restarts in any hour, after which it needs a
 * person.
 */
export interface RestartPolicy {
  /** ms to wait before the next restart, or null when the hourly budget is spent. */
  next(now: number): number | null
  record(now: number): void
  recentCount(now: number): number
  reset(): void
}

const HOUR = 3_600_000

export function createRestartPolicy(options: {
  maxPerHour: () => number
  baseMs: number
  maxMs: number
}): RestartPolicy {
  let restarts: number[] = []
  const prune = (now: number): void => {
    restarts = restarts.filter((t) => now - t < HOUR)
  }
  return {
    next(now) {
      prune(now)
      if (restarts.length >= options.maxPerHour()) return null
      return Math.min(options.maxMs, options.baseMs * 2 ** restarts.length)
    },
    record(now) {
      prune(now)
      restarts.push(now)
    },
    recentCount(now) {
      prune(now)
      return restarts.length
    },
    reset: () => void (restarts = [])
  }
}
