/**
 * Notices that the machine slept, without Electron: while the machine is
 * suspended the monotonic clock stands still (CLOCK_MONOTONIC on Linux,
 * mach_absolute_time on macOS) and the wall clock does not, so between two
 * checks the wall clock jumps ahead of the monotonic one by the time asleep.
 * A blocked event loop delays both clocks alike and is never taken for sleep.
 */
export interface SuspendDetectorOptions {
  /** Wall-clock time, ms (Date.now). */
  readonly wall: () => number
  /** A clock that does not advance while the machine sleeps, ms (performance.now). */
  readonly monotonic: () => number
  /** How often to compare the clocks. */
  readonly everyMs: number
  /** A jump at least this large is taken for sleep; smaller ones are clock adjustments (NTP). */
  readonly minSleepMs: number
  /** Told once per wake, with how long the machine slept, ms. */
  readonly onWake: (sleptMs: number) => void
  readonly setInterval?: (fn: () => void, ms: number) => { unref?(): unknown }
  readonly clearInterval?: (timer: never) => void
}

export interface SuspendDetector {
  /** Compares the clocks now; returns the time asleep since the last check, or null. */
  check(): number | null
  start(): void
  stop(): void
}

export function createSuspendDetector(options: SuspendDetectorOptions): SuspendDetector {
  const every = options.setInterval ?? ((fn, ms) => setInterval(fn, ms))
  const clear = options.clearInterval ?? ((timer: never) => clearInterval(timer))
  let lastWall = options.wall()
  let lastMono = options.monotonic()
  let timer: { unref?(): unknown } | null = null

  function check(): number | null {
    const wall = options.wall()
    const mono = options.monotonic()
    const jump = wall - lastWall - (mono - lastMono)
    lastWall = wall
    lastMono = mono
    if (jump < options.minSleepMs) return null
    options.onWake(jump)
    return jump
  }

  return {
    check,
    start() {
      if (timer) return
      lastWall = options.wall()
      lastMono = options.monotonic()
      timer = every(check, options.everyMs)
      // A detector alone must not keep a one-shot process alive.
      timer.unref?.()
    },
    stop() {
      if (timer) clear(timer as never)
      timer = null
    }
  }
}
