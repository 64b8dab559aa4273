import type { ConfigService } from '../config/config-service'
import type { BackendLimit, BackendLimits } from '../ports/backend-limits'

/** A node as the limits need it: its kind picks the settings, its state whether it counts toward capacity. */
export interface LimitedNode {
  readonly id: string
  readonly kind: 'ollama' | 'openai' | 'embedded'
  readonly up: boolean
}

export type BackendLimitSettings = Pick<ConfigService, 'get'>

/** The limits of one kind of node, from settings; 0 concurrent means no cap of its own. */
export function limitForKind(kind: LimitedNode['kind'] | null, config: BackendLimitSettings): BackendLimit {
  const total = (n: number): number | null => (n > 0 ? n : null)
  switch (kind) {
    case 'ollama':
      return { heavy: config.get('ollama.maxHeavy'), total: total(config.get('ollama.maxConcurrent')) }
    case 'openai':
      return { heavy: config.get('mlx.maxHeavy'), total: total(config.get('mlx.maxConcurrent')) }
    default:
      // The embedded engine and any backend the registry does not know keep the worker's shared heavy cap.
      return { heavy: config.get('worker.heavyPerBackend'), total: null }
  }
}

/**
 * Per-node caps from the settings of each kind of server: every Ollama node
 * gets the Ollama caps, every MLX / OpenAI-compatible node the MLX ones, each
 * on its own. Capacity is what the nodes up now take together, so the
 * adaptive controller does not size the pool for slots no node would fill.
 */
export function createBackendLimits(deps: { nodes: () => readonly LimitedNode[]; config: BackendLimitSettings }): BackendLimits {
  return {
    of(backend) {
      const node = deps.nodes().find((n) => n.id === backend)
      return limitForKind(node?.kind ?? null, deps.config)
    },
    capacity() {
      const up = deps.nodes().filter((n) => n.up)
      if (up.length === 0) return null
      let sum = 0
      for (const node of up) {
        const total = limitForKind(node.kind, deps.config).total
        if (total === null) return null
        sum += total
      }
      return sum
    }
  }
}
