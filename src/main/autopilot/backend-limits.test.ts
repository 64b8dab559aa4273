import { describe, expect, it } from 'vitest'
import { testConfig } from '../tasks/testing/test-config'
import { createBackendLimits, type LimitedNode } from './backend-limits'

const NODES: LimitedNode[] = [
  { id: 'ollama-local', kind: 'ollama', up: true, own: null },
  { id: 'mlx-local', kind: 'openai', up: true, own: null },
  { id: 'ollama-lab', kind: 'ollama', up: false, own: null }
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
      nodes: () => [...NODES, { id: 'embedded', kind: 'embedded', up: true, own: null }],
      config
    })
    expect(limits.of('embedded')).toEqual({ heavy: 2, total: null })
    expect(limits.of('gone')).toEqual({ heavy: 2, total: null })
  })

  it("gives a node its own caps where set in the Models view, the other nodes of its kind keeping the kind's", () => {
    const nodes: LimitedNode[] = [
      { id: 'ollama-local', kind: 'ollama', up: true, own: { maxConcurrent: 2, maxHeavy: null } },
      { id: 'ollama-lab', kind: 'ollama', up: true, own: null },
      { id: 'mlx-local', kind: 'openai', up: true, own: { maxConcurrent: 0, maxHeavy: 2 } }
    ]
    const limits = createBackendLimits({ nodes: () => nodes, config: testConfig({ 'ollama.maxConcurrent': 3 }) })
    expect(limits.of('ollama-local')).toEqual({ heavy: 1, total: 2 })
    expect(limits.of('ollama-lab')).toEqual({ heavy: 1, total: 3 })
    // 0: no cap of its own, whatever mlx.maxConcurrent says.
    expect(limits.of('mlx-local')).toEqual({ heavy: 2, total: null })
    expect(limits.capacity()).toBeNull()
    nodes[2] = { id: 'mlx-local', kind: 'openai', up: true, own: { maxConcurrent: 1, maxHeavy: null } }
    expect(limits.capacity()).toBe(2 + 3 + 1)
  })

  it('measures capacity over the nodes that are up: bounded only when each of them is', () => {
    const config = testConfig({ 'ollama.maxConcurrent': 3 })
    expect(createBackendLimits({ nodes: () => NODES, config }).capacity()).toBe(4)
    expect(createBackendLimits({ nodes: () => NODES, config: testConfig() }).capacity()).toBeNull()
    expect(
      createBackendLimits({
        nodes: () => [{ id: 'mlx-local', kind: 'openai', up: true, own: null }],
        config: testConfig()
      }).capacity()
    ).toBe(1)
    expect(
      createBackendLimits({ nodes: () => NODES.map((n) => ({ ...n, up: false, own: null })), config }).capacity()
    ).toBeNull()
  })
})
