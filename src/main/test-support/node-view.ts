import type { ModelEntry, ModelsOverview, NodeView } from '../../shared/contract/models-contract'

/** A model as a node lists it: by name alone (not loaded, size unknown), or with what the test sets. */
export type ModelAs = string | (Partial<ModelEntry> & { readonly name: string })

/** A node as models.list shows it: up, named by its id, with the models given; `over` sets anything else. */
export const nodeView = (id: string, models: readonly ModelAs[], over: Partial<NodeView> = {}): NodeView => ({
  id,
  kind: 'ollama',
  url: `http://127.0.0.1/${id}`,
  label: id,
  source: 'settings',
  state: 'up',
  latencyMs: 3,
  error: null,
  scannedAt: null,
  loadedKnown: true,
  models: models.map((m) => ({
    sizeBytes: null,
    loaded: false,
    heavy: false,
    ...(typeof m === 'string' ? { name: m } : m)
  })),
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
