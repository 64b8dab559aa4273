import type { Circuits, CircuitView, ModelsOverview, NodeView } from '../../shared/contract/models-contract'
import { isHeavy } from './candidates'
import type { CircuitBoard, OpenCircuit } from './circuit-board'
import type { NodeDescriptor, NodeRegistry } from './node-registry'
import { PROCESSING_TYPE } from './route-error'
import type { Router } from './router'

/** Categories always offered in the Models view, besides those that have a preference already. */
export const BASE_CATEGORIES = ['general', 'coding', 'research', 'writing', 'analysis', 'embedding'] as const

export function circuitView(c: OpenCircuit): CircuitView {
  return {
    node: c.node,
    model: c.model,
    state: c.state,
    reason: c.reason,
    errorType: c.kind ? PROCESSING_TYPE[c.kind] : null,
    openedAt: new Date(c.openedAt).toISOString(),
    nextProbeAt: c.nextProbeAt === null ? null : new Date(c.nextProbeAt).toISOString(),
    lastProbeFailure: c.lastProbe?.failure ?? null
  }
}

export function circuitsOverview(circuits: CircuitBoard, windowMin: number): Circuits {
  return {
    circuits: circuits.open().map(circuitView),
    generations: { windowMin, nodes: circuits.tallies(windowMin * 60_000) }
  }
}

/** What a settings node nobody set up says instead of an error: where nothing answers, and how to use it. */
export function notConfiguredText(node: NodeDescriptor): string {
  const how =
    node.id === 'ollama-local'
      ? 'Start Ollama (`ollama serve`), or set ollama.apiUrl in Settings'
      : 'Start mlx_lm.server there, or set mlx.apiUrl in Settings'
  return `Not set up: nothing answers at ${node.url}. ${how} to use it.`
}

export function modelsOverview(
  registry: NodeRegistry,
  router: Router,
  preferences: ReadonlyMap<string, string>,
  heavyGb: number,
  generationWindowMin: number,
  limitOf: (node: NodeDescriptor) => NodeView['limit']
): ModelsOverview {
  const loads = router.load()
  const open = router.circuits.open()
  const tallies = router.circuits.tallies(generationWindowMin * 60_000)
  const nodes = registry.nodes().map((node): NodeView => {
    const status = registry.status(node.id)
    const load = loads.find((l) => l.backend === node.id)
    const tally = tallies.find((t) => t.node === node.id)
    const absent = status.state === 'down' && !registry.configured(node.id)
    return {
      id: node.id,
      kind: node.kind,
      url: node.url,
      label: node.label,
      source: node.source,
      state: absent ? 'not_configured' : status.state,
      latencyMs: status.latencyMs === null ? null : Math.round(status.latencyMs),
      error: absent ? notConfiguredText(node) : status.error,
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
      oomRecently: load?.oomRecently ?? false,
      circuits: open.filter((c) => c.node === node.id).map(circuitView),
      generations: { succeeded: tally?.succeeded ?? 0, failed: tally?.failed ?? 0 },
      limit: limitOf(node)
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
