import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runFuzz } from './testing/fuzz/fuzz-run'
import { startFuzzTarget, type FuzzTarget } from './testing/fuzz/fuzz-target'

let target: FuzzTarget

beforeAll(async () => {
  target = await startFuzzTarget()
}, 60_000)

afterAll(async () => {
  await target?.stop()
})

describe('contract fuzz against a running headless host', () => {
  it('answers every generated and hostile payload, over HTTP and WebSocket with both tokens, without a crash or a change from a refused call', async () => {
    const figures = await runFuzz(target, { seed: 12, samplesPerCall: 3, heavyEvery: 12 })
    console.warn(`contract fuzz: ${JSON.stringify(figures)}`)
    expect(figures.crashSamples).toEqual([])
    expect(figures.crashes).toBe(0)
    expect(target.exited()).toBeNull()
    expect(figures.healthChecksPassed).toBe(figures.batches)
    expect(figures.unexpectedlyAccepted).toEqual([])
    expect(figures.refusedBatchesChanged).toBe(0)
    expect(figures.refusedBatchesCompared).toBeGreaterThan(10)
    expect(figures.acceptedBatchesChanged).toBeGreaterThan(0)
    expect(figures.typedByCode.internal ?? 0).toBe(0)
    expect(figures.accepted).toBeGreaterThan(100)
    expect(figures.closedByCode).toMatchObject({ 'ws-1009': 2, 'ws-1007': 4, 'ws-1002': 4 })
  }, 120_000)
})
