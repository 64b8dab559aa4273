import { describe, expect, it } from 'vitest'
import { createModelStats } from './model-stats'

const sample = (totalMs: number) => ({ ttftMs: 10, tokens: 5, streamMs: totalMs - 10, totalMs })

describe('model stats load', () => {
  it('gives the median latency of the recent answers, following every new outcome between reads', () => {
    const stats = createModelStats(() => 0)
    expect(stats.load(['a'])).toEqual([
      { node: 'a', activeRequests: 0, latencyMs: null, errorRate: 0, oomRecently: false }
    ])
    stats.recordSuccess('a', 'm', sample(100))
    stats.recordSuccess('a', 'm', sample(300))
    expect(stats.load(['a'])[0]).toMatchObject({ latencyMs: 200 })
    expect(stats.load(['a'])[0]).toMatchObject({ latencyMs: 200 })
    stats.recordSuccess('a', 'm', sample(500))
    expect(stats.load(['a'])[0]).toMatchObject({ latencyMs: 300 })
    stats.recordFailure('a', false)
    expect(stats.load(['a', 'b'])).toEqual([
      { node: 'a', activeRequests: 0, latencyMs: 300, errorRate: 0.25, oomRecently: false },
      { node: 'b', activeRequests: 0, latencyMs: null, errorRate: 0, oomRecently: false }
    ])
  })

  it('drops the oldest answers from the median once 50 are kept', () => {
    const stats = createModelStats(() => 0)
    for (let i = 0; i < 50; i++) stats.recordSuccess('a', 'm', sample(1000))
    expect(stats.load(['a'])[0]?.latencyMs).toBe(1000)
    for (let i = 0; i < 26; i++) stats.recordSuccess('a', 'm', sample(20))
    expect(stats.load(['a'])[0]?.latencyMs).toBe(20)
  })
})
