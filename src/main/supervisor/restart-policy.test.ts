import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyLine } from './failure-classifier'
import { createRestartPolicy } from './restart-policy'

describe('restart policy', () => {
  it('backs off exponentially and refuses the sixth restart within an hour', () => {
    const policy = createRestartPolicy({ maxPerHour: () => 5, baseMs: 1000, maxMs: 60_000 })
    const delays: (number | null)[] = []
    for (let i = 0; i < 6; i++) {
      const delay = policy.next(i * 1000)
      delays.push(delay)
      if (delay !== null) policy.record(i * 1000)
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, null])
    expect(policy.next(3_600_000 + 500)).not.toBeNull()
  })

  it('never allows more than the hourly budget, whatever the timing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 600_000 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 10 }),
        (gaps, max) => {
          const policy = createRestartPolicy({ maxPerHour: () => max, baseMs: 10, maxMs: 100 })
          let now = 0
          const granted: number[] = []
          for (const gap of gaps) {
            now += gap
            if (policy.next(now) !== null) {
              policy.record(now)
              granted.push(now)
            }
          }
          for (const t of granted)
            expect(granted.filter((u) => u <= t && t - u < 3_600_000).length).toBeLessThanOrEqual(max)
        }
      )
    )
  })
})

describe('failure classifier', () => {
  it('recognises the known Ollama and MLX failures', () => {
    expect(
      classifyLine(
        'ggml_metal_graph_compute: command buffer 0 failed with status 5 error: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)'
      )
    ).toBe('metal_oom')
    expect(classifyLine('time=2025 level=ERROR msg="llama runner process has terminated: signal: abort trap"')).toBe(
      'runner_terminated'
    )
    expect(classifyLine('llama_init_from_model: failed to allocate context')).toBe('context_alloc_failed')
    expect(classifyLine('/ggml/src/ggml-metal.m:1234: GGML_ASSERT(buf_dst) failed')).toBe('metal_assertion')
    expect(classifyLine('time=2025 level=INFO msg="Listening on 127.0.0.1:11434"')).toBeNull()
  })
})
