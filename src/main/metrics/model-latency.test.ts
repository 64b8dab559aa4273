import { describe, expect, it } from 'vitest'
import { createModelLatency, MAX_SERIES, OTHER_MODEL } from './model-latency'

describe('model request latency histograms', () => {
  it('count each answered request into cumulative buckets of first token and duration, per node and model', () => {
    const latency = createModelLatency()
    latency.observe('ollama-local', 'llama3.2:3b', { ttftMs: 80, totalMs: 900 })
    latency.observe('ollama-local', 'llama3.2:3b', { ttftMs: 1_500, totalMs: 40_000 })
    latency.observe('mlx-local', 'phi3.5', { ttftMs: 300, totalMs: 2_000 })
    const { firstToken, request } = latency.read()
    const ollama = firstToken.series.find((s) => s.node === 'ollama-local')
    expect(ollama).toMatchObject({ model: 'llama3.2:3b', count: 2, sumSeconds: 1.58 })
    expect(Object.fromEntries(firstToken.buckets.map((b, i) => [b, ollama?.cumulative[i]]))).toMatchObject({
      0.05: 0,
      0.1: 1,
      1: 1,
      2: 2,
      60: 2
    })
    const long = request.series.find((s) => s.node === 'ollama-local')
    expect(Object.fromEntries(request.buckets.map((b, i) => [b, long?.cumulative[i]]))).toMatchObject({
      1: 1,
      30: 1,
      60: 2
    })
  })

  it(`keep at most ${MAX_SERIES} node + model series: later models count as "${OTHER_MODEL}" of their node`, () => {
    const latency = createModelLatency()
    for (let i = 0; i < MAX_SERIES + 10; i++) latency.observe('gateway', `model-${i}`, { ttftMs: 10, totalMs: 100 })
    latency.observe('gateway', 'model-0', { ttftMs: 10, totalMs: 100 })
    const { request } = latency.read()
    expect(request.series).toHaveLength(MAX_SERIES + 1)
    expect(request.series.find((s) => s.model === OTHER_MODEL)).toMatchObject({ node: 'gateway', count: 10 })
    expect(request.series.find((s) => s.model === 'model-0')?.count).toBe(2)
  })
})
