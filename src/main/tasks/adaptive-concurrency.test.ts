import { describe, expect, it } from 'vitest'
import { createConcurrencyController, DEFAULT_CONTROLLER, type LoadInputs } from './adaptive-concurrency'

const healthy: LoadInputs = {
  cpuLoad: 0.3,
  freeMemoryRatio: 0.5,
  activeRequests: 2,
  latencyMs: 800,
  errorRate: 0,
  oomRecently: false,
  timeoutsRecently: 0
}
const busy: LoadInputs = { ...healthy, cpuLoad: 0.95 }

function controller(ceiling = 8, floor = 1) {
  return createConcurrencyController({ ...DEFAULT_CONTROLLER, floor: () => floor, ceiling: () => ceiling })
}

describe('adaptive concurrency', () => {
  it('does not oscillate under a load that flips every cycle, where a naive controller would move every time', () => {
    const c = controller()
    const values: number[] = []
    let naive = 8
    let naiveMoves = 0
    for (let cycle = 0; cycle < 120; cycle++) {
      const load = cycle % 2 === 0 ? busy : healthy
      values.push(c.next(() => load, cycle * 10_000).effective)
      const next = Math.min(8, Math.max(1, naive + (load === busy ? -1 : 1)))
      if (next !== naive) naiveMoves++
      naive = next
    }
    const moves = values.filter((v, i) => i > 0 && v !== values[i - 1]).length
    let reversals = 0
    let direction = 0
    values.forEach((v, i) => {
      if (i === 0 || v === values[i - 1]) return
      const d = Math.sign(v - (values[i - 1] as number))
      if (direction !== 0 && d !== direction) reversals++
      direction = d
    })
    expect(naiveMoves).toBeGreaterThan(100)
    expect(moves).toBeLessThanOrEqual(25)
    expect(reversals).toBeLessThanOrEqual(20)
    for (let minute = 0; minute + 6 <= values.length; minute++) {
      const window = values.slice(minute, minute + 7)
      const change = window.slice(1).reduce((sum, v, i) => sum + Math.abs(v - (window[i] as number)), 0)
      expect(change).toBeLessThanOrEqual(DEFAULT_CONTROLLER.maxChangePerMinute)
    }
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1)
  })

  it('settles under a load that follows N, where a single-threshold controller keeps flipping', () => {
    const c = controller()
    const cpuFor = (n: number): number => n * 0.13
    const values: number[] = []
    let n = 8
    let naive = 8
    let naiveFlips = 0
    for (let cycle = 0; cycle < 120; cycle++) {
      n = c.next(() => ({ ...healthy, cpuLoad: cpuFor(n) }), cycle * 10_000).effective
      values.push(n)
      const next = cpuFor(naive) > 0.8 ? naive - 1 : naive + 1
      if (next !== naive) naiveFlips++
      naive = Math.min(8, Math.max(1, next))
    }
    expect(naiveFlips).toBeGreaterThan(100)
    const settled = values.slice(60)
    expect(new Set(settled).size).toBe(1)
    expect(cpuFor(settled[0] as number)).toBeLessThanOrEqual(0.9)
  })

  it('steps down under sustained pressure, one step at a time within the per-minute bound', () => {
    const c = controller()
    const values: number[] = []
    for (let t = 0; t < 30; t++) values.push(c.next(() => busy, t * 10_000).effective)
    expect(values.at(-1)).toBe(1)
    expect(values.every((v, i) => i === 0 || (values[i - 1] as number) - v <= 1)).toBe(true)
  })

  it('drops at once on OOM and rises only one step per interval while healthy', () => {
    const c = controller()
    expect(c.next(() => ({ ...healthy, oomRecently: true }), 0).effective).toBe(4)
    const after: number[] = []
    for (let t = 1; t <= 30; t++) after.push(c.next(() => healthy, 60_000 + t * 10_000).effective)
    expect(after.every((v, i) => i === 0 || v - (after[i - 1] as number) <= 1)).toBe(true)
    expect(after.at(-1)).toBeGreaterThan(4)
  })

  it('drops on a burst of timeouts and errors', () => {
    expect(controller().next(() => ({ ...healthy, timeoutsRecently: 4 }), 0).effective).toBe(4)
    expect(controller().next(() => ({ ...healthy, errorRate: 0.6 }), 0).reason).toMatch(/error burst/)
  })

  it('falls back to the configured maximum when reading the load fails', () => {
    const c = controller(6)
    c.next(() => ({ ...healthy, oomRecently: true }), 0)
    const fallback = c.next(() => {
      throw new Error('loadavg unreadable')
    }, 10_000)
    expect(fallback).toMatchObject({ effective: 6, reason: 'fallback to maximum: loadavg unreadable' })
  })

  it('stays between floor and ceiling', () => {
    const c = controller(8, 3)
    for (let t = 0; t < 50; t++)
      expect(c.next(() => ({ ...healthy, oomRecently: true }), t * 10_000).effective).toBeGreaterThanOrEqual(3)
  })
})
