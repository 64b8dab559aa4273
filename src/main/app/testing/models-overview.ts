import type { ModelsOverview, NodeView } from '../../../shared/contract/models-contract'

/** A node as models.list shows it, up with the models given; `over` sets anything else (state, label, circuits). */
export const nodeView = (
  id: string,
  models: { name: string; loaded?: boolean }[],
  over: Partial<NodeView> = {}
): NodeView => ({
  id,
  kind: 'ollama',
  url: `http://127.0.0.1/${id}`,
  label: id === 'local' ? 'This Mac' : 'Studio',
  source: 'settings',
  state: 'up',
  latencyMs: 3,
  error: null,
  scannedAt: null,
  loadedKnown: true,
  models: models.map((m) => ({ name: m.name, sizeBytes: null, loaded: m.loaded ?? false, heavy: false })),
  activeRequests: 0,
  errorRate: 0,
  oomRecently: false,
  circuits: [],
  generations: { succeeded: 0, failed: 0 },
  limit: { total: null, heavy: 1, own: null },
  ...over
})

export const modelsOverview = (nodes: NodeView[], preferences: ModelsOverview['preferences'] = []): ModelsOverview => ({
  nodes,
  speeds: [],
  preferences,
  categories: []
})
