/** The time and the timers a scheduler waits on, passed in so a test can drive them with a fake clock. */
export interface TimerClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Real timers, unref'd: a pending retry or schedule never keeps the process alive on its own. */
export const realClock: TimerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms)
    handle.unref()
    return handle
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout)
}
