import type { TimerClock } from '../platform/timer-clock'

export interface FakeTimerClock extends TimerClock {
  /** Every delay asked for, in order. */
  readonly delays: number[]
  /** Timers waiting. */
  pending(): number
  /** Moves the clock to `t` without firing anything. */
  set(t: number): void
  /** Moves the clock to `t`, firing each timer that falls due on the way, in order. */
  advanceTo(t: number): void
  /** Fires the timer due first now, whatever its delay; fails when none waits. */
  fireNext(): void
}

/** A clock that moves only when a test says so. */
export function fakeTimerClock(start: number): FakeTimerClock {
  let now = start
  let id = 0
  const timers = new Map<number, { due: number; fn: () => void }>()
  const delays: number[] = []
  const first = (until: number): [number, { due: number; fn: () => void }] | undefined =>
    [...timers].filter(([, x]) => x.due <= until).sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0]
  return {
    delays,
    now: () => now,
    setTimeout: (fn, ms) => {
      delays.push(ms)
      timers.set(++id, { due: now + ms, fn })
      return id
    },
    clearTimeout: (h) => void timers.delete(h as number),
    pending: () => timers.size,
    set: (t) => void (now = t),
    advanceTo(t) {
      for (let next = first(t); next; next = first(t)) {
        timers.delete(next[0])
        now = next[1].due
        next[1].fn()
      }
      now = t
    },
    fireNext() {
      const next = first(Infinity)
      if (!next) throw new Error('no timer is waiting')
      timers.delete(next[0])
      next[1].fn()
    }
  }
}
