import { describe, expect, it } from 'vitest'
import { testConfig } from '../tasks/testing/test-config'
import { createBackendLimits, type LimitedNode } from './backend-limits'

const NODES: LimitedNode[] = [
  { id: 'ollama-local', kind: 'ollama', up: true },
  { id: 'mlx-local', kind: 'openai', up: true },
  { id: 'ollama-lab', kind: 'ollama', up: false }
]

describe('backend limits', () => {
  it('gives MLX one request at a time and Ollama only its heavy cap by default', () => {
    const limits = createBackendLimits({ nodes: () => NODES, config: testConfig() })
    expect(limits.of('mlx-local')).toEqual({ heavy: 1, total: 1 })
    expect(limits.of('ollama-local')).toEqual({ heavy: 1, total: null })
    expect(limits.of('ollama-lab')).toEqual({ heavy: 1, total: null })
  })

  it('applies the settings of each kind separately, per node', () => {
    const config = testConfig({
      'ollama.maxHeavy': 2,
      'ollama.maxConcurrent': 3,
      'mlx.maxHeavy': 1,
      'mlx.maxConcurrent': 2
    })
    const limits = createBackendLimits({ nodes: () => NODES, config })
    expect(limits.of('ollama-local')).toEqual({ heavy: 2, total: 3 })
    expect(limits.of('ollama-lab')).toEqual({ heavy: 2, total: 3 })
    expect(limits.of('mlx-local')).toEqual({ heavy: 1, total: 2 })
  })

  it('keeps the shared worker cap for backends it does not know and the embedded engine', () => {
    const config = testConfig({ 'worker.heavyPerBackend': 2 })
    const limits = createBackendLimits({
      nodes: () => [...NODES, { id: 'embedded', kind: 'embedded', up: true }],
      config
    })
    expect(limits.of('embedded')).toEqual({ heavy: 2, total: null })
    expect(limits.of('gone')).toEqual({ heavy: 2, total: null })
  })

  it('measures capacity over the nodes that are up: bounded only when each of them is', () => {
    const config = testConfig({ 'ollama.maxConcurrent': 3 })
    expect(createBackendLimits({ nodes: () => NODES, config }).capacity()).toBe(4)
    expect(createBackendLimits({ nodes: () => NODES, config: testConfig() }).capacity()).toBeNull()
    expect(
      createBackendLimits({
        nodes: () => [{ id: 'mlx-local', kind: 'openai', up: true }],
        config: testConfig()
      }).capacity()
    ).toBe(1)
    expect(createBackendLimits({ nodes: () => NODES.map((n) => ({ ...n, up: false })), config }).capacity()).toBeNull()
  })
})
