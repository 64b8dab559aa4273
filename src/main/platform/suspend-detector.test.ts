import { describe, expect, it } from 'vitest'
import { createSuspendDetector } from './suspend-detector'

/** Two fake clocks and a fake interval: the test moves time, the detector's timer fires when told. */
function harness(minSleepMs = 10_000) {
  const clock = { wall: Date.parse('2026-03-01T09:00:00Z'), mono: 5_000 }
  const wakes: number[] = []
  let tick: (() => void) | null = null
  const detector = createSuspendDetector({
    wall: () => clock.wall,
    monotonic: () => clock.mono,
    everyMs: 2_000,
    minSleepMs,
    onWake: (slept) => wakes.push(slept),
    setInterval: (fn) => {
      tick = fn
      return {}
    },
    clearInterval: () => {
      tick = null
    }
  })
  /** Time passing while awake: both clocks move, and the timer fires every 2 s. */
  const awake = (ms: number): void => {
    for (let left = ms; left > 0; left -= 2_000) {
      const step = Math.min(2_000, left)
      clock.wall += step
      clock.mono += step
      tick?.()
    }
  }
  /** The machine suspended: the wall clock moves, the monotonic clock and the timers stand still. */
  const asleep = (ms: number): void => {
    clock.wall += ms
  }
  const fire = (): void => tick?.()
  return { detector, clock, wakes, awake, asleep, fire, running: () => tick !== null }
}

describe('suspend detector', () => {
  it('reports a 2-minute sleep once, with its length, at the first check after waking', () => {
    const { detector, wakes, awake, asleep, fire } = harness()
    detector.start()
    awake(60_000)
    expect(wakes).toEqual([])
    asleep(120_000)
    fire()
    expect(wakes).toEqual([120_000])
    awake(60_000)
    expect(wakes).toEqual([120_000])
  })

  it('does not take a busy event loop for sleep: a late timer sees both clocks move alike', () => {
    const { detector, clock, wakes, fire } = harness()
    detector.start()
    clock.wall += 45_000
    clock.mono += 45_000
    fire()
    expect(wakes).toEqual([])
  })

  it('ignores small wall-clock adjustments and a clock set back', () => {
    const { detector, wakes, awake, asleep, fire, clock } = harness()
    detector.start()
    asleep(3_000)
    fire()
    clock.wall -= 3_600_000
    fire()
    awake(10_000)
    expect(wakes).toEqual([])
  })

  it('can be asked between ticks, so a timer that runs first after waking does not act on stale time', () => {
    const { detector, wakes, asleep, fire } = harness()
    detector.start()
    asleep(300_000)
    expect(detector.check()).toBe(300_000)
    fire()
    expect(wakes).toEqual([300_000])
  })

  it('stops its timer', () => {
    const { detector, running } = harness()
    detector.start()
    expect(running()).toBe(true)
    detector.stop()
    expect(running()).toBe(false)
  })
})
