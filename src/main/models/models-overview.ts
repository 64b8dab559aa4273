import type { ModelsOverview, NodeView } from '../../shared/contract/models-contract'
import { isHeavy } from './candidates'
import type { NodeRegistry } from './node-registry'
import type { Router } from './router'

/** Categories always offered in the Models view, besides those that have a preference already. */
export const BASE_CATEGORIES = ['general', 'coding', 'research', 'writing', 'analysis', 'embedding'] as const

export function modelsOverview(registry: NodeRegistry, router: Router, preferences: ReadonlyMap<string, string>, heavyGb: number): ModelsOverview {
  const loads = router.load()
  const nodes = registry.nodes().map((node): NodeView => {
    const status = registry.status(node.id)
    const load = loads.find((l) => l.backend === node.id)
    return {
      id: node.id,
      kind: node.kind,
      url: node.url,
      label: node.label,
      source: node.source,
      state: status.state,
      latencyMs: status.latencyMs === null ? null : Math.round(status.latencyMs),
      error: status.error,
      scannedAt: status.scannedAt,
      loadedKnown: status.loaded !== null,
      models: status.models.map((m) => ({
        name: m.name,
        sizeBytes: m.sizeBytes,
        loaded: status.loaded !== null && status.loaded.some((l) => l.name === m.name),
        heavy: isHeavy(m, m.name, heavyGb)
      })),
      activeRequests: load?.activeRequests ?? 0,
      errorRate: load?.errorRate ?? 0,
      oomRecently: load?.oomRecently ?? false
    }
  })
  const categories = [...new Set([...BASE_CATEGORIES, ...preferences.keys()])]
  return {
    nodes,
    speeds: router.speeds(),
    preferences: [...preferences].map(([category, model]) => ({ category, model })),
    categories
  }
}
