import type { ConfigService } from '../config/config-service'
import {
  BACKEND_LIMIT_KEYS,
  limitForNode,
  type BackendLimitKey,
  type NodeLimitOverride,
  type BackendLimitValues
} from '../../shared/backend-limits'
import type { BackendLimits } from '../ports/backend-limits'

/** A node as the limits need it: its kind picks the settings, its state whether it counts toward capacity. */
export interface LimitedNode {
  readonly id: string
  readonly kind: 'ollama' | 'openai' | 'embedded'
  readonly up: boolean
  /** Its own caps from the Models view; null follows its kind's settings. */
  readonly own: NodeLimitOverride | null
}

export type BackendLimitSettings = Pick<ConfigService, 'get'>

function valuesOf(config: BackendLimitSettings): BackendLimitValues {
  return Object.fromEntries(BACKEND_LIMIT_KEYS.map((key) => [key, config.get(key)])) as Record<BackendLimitKey, number>
}

/**
 * Per-node caps: a node's own (set in the Models view) where it has them,
 * else the settings of its kind of server: every Ollama node gets the Ollama
 * caps, every MLX / OpenAI-compatible node the MLX ones, each on its own. They
 * count model calls in flight: a batch of small tasks answered by one call
 * takes one slot, so batching works on an MLX node capped at one. Capacity is
 * what the nodes up now take together, so the adaptive controller does not
 * size the pool for slots no node would fill.
 */
export function createBackendLimits(deps: {
  nodes: () => readonly LimitedNode[]
  config: BackendLimitSettings
}): BackendLimits {
  return {
    of(backend) {
      const node = deps.nodes().find((n) => n.id === backend)
      return limitForNode(node?.kind ?? null, node?.own ?? null, valuesOf(deps.config))
    },
    capacity() {
      const up = deps.nodes().filter((n) => n.up)
      if (up.length === 0) return null
      const values = valuesOf(deps.config)
      let sum = 0
      for (const node of up) {
        const total = limitForNode(node.kind, node.own, values).total
        if (total === null) return null
        sum += total
      }
      return sum
    },
    tasksPerCall: () => (deps.config.get('batching.enabled') ? deps.config.get('batching.maxTasks') : 1)
  }
}
