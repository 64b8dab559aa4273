import { BACKEND_LIMIT_KEYS, type BackendLimitValues } from '../../../../shared/backend-limits'
import type { ConfigSnapshot } from '../../../../shared/contract/config-contract'
import type {
  HealthSnapshot,
  ModelsOverview,
  ProcessStatus,
  PullProgress
} from '../../../../shared/contract/models-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { busyAction } from '../busy-action'
import { MODELS_CALLS } from '../../../../shared/contract/models-contract'
import { validateForm } from '../form-validation'
import { defineViewModel, type ViewModelApi } from '../view-model'

export interface TryState {
  readonly requestId: string | null
  readonly text: string
  readonly running: boolean
  readonly answeredBy: string | null
  readonly error: string | null
}

export interface ModelsData {
  readonly overview: ModelsOverview | null
  readonly processes: readonly ProcessStatus[]
  readonly health: HealthSnapshot | null
  readonly pulls: Readonly<Record<string, PullProgress>>
  readonly loaded: boolean
  readonly scanning: boolean
  /** Which action is in flight, e.g. "supervisor.restart:ollama", so its button can say so. */
  readonly busy: string | null
  readonly error: RpcError | null
  readonly tryIt: TryState
  /** The per-node caps from Settings and the pool's ceiling, for the limits panel; null until read. */
  readonly limits: NodeLimitsView | null
}

export interface NodeLimitsView {
  readonly values: BackendLimitValues
  readonly poolMax: number
}

export interface ModelsActions {
  scan(): Promise<void>
  addNode(kind: 'ollama' | 'openai', url: string, label: string): Promise<boolean>
  removeNode(id: string): Promise<void>
  setPreference(category: string, model: string | null): Promise<void>
  /** A node's own caps; null for either follows its kind's setting. */
  setNodeLimit(id: string, maxConcurrent: number | null, maxHeavy: number | null): Promise<boolean>
  pull(node: string, model: string): Promise<boolean>
  supervise(action: 'start' | 'stop' | 'restart', id: string): Promise<void>
  ask(prompt: string, node: string | null): Promise<void>
  dismissError(): void
}

export type ModelsState = ModelsData & ModelsActions
type Api = ViewModelApi<ModelsState>

async function read({ client, get, set }: Api): Promise<void> {
  const [overview, processes, health, config] = await Promise.all([
    client.call('models.list', {}),
    client.call('supervisor.list', {}),
    client.call('health.get', {}),
    client.call('config.get', {})
  ])
  set({
    ...(config.ok ? { limits: limitsFrom(config.value) } : {}),
    loaded: true,
    overview: overview.ok ? overview.value : get().overview,
    processes: processes.ok ? processes.value : get().processes,
    health: health.ok ? health.value : get().health,
    error: !overview.ok ? overview.error : !processes.ok ? processes.error : !health.ok ? health.error : null
  })
}

const IDLE_TRY: TryState = { requestId: null, text: '', running: false, answeredBy: null, error: null }

/** The Models view: nodes and their models, supervised processes, health, pulls and the "try it" prompt. */
export const modelsModel = defineViewModel<ModelsData, ModelsActions>({
  initialState: () => ({
    overview: null,
    processes: [],
    health: null,
    pulls: {},
    loaded: false,
    scanning: false,
    busy: null,
    error: null,
    tryIt: IDLE_TRY,
    limits: null
  }),
  actions: (api) => {
    const { client, get, set } = api
    const act = busyAction<ModelsData, string>(set)
    return {
      async scan() {
        set({ scanning: true })
        const [overview, processes, health] = await Promise.all([
          client.call('models.scan', {}),
          client.call('supervisor.list', {}),
          client.call('health.get', {})
        ])
        set({
          scanning: false,
          ...(overview.ok ? { overview: overview.value } : { error: overview.error }),
          ...(processes.ok ? { processes: processes.value } : {}),
          ...(health.ok ? { health: health.value } : {})
        })
      },
      addNode: (kind, url, label) =>
        act(
          'models.addNode',
          () => client.call('models.addNode', { kind, url, label }),
          (overview) => ({ overview })
        ),
      async removeNode(id) {
        await act(
          `models.removeNode:${id}`,
          () => client.call('models.removeNode', { id }),
          (overview) => ({ overview })
        )
      },
      async setPreference(category, model) {
        await act(
          `models.setPreference:${category}`,
          () => client.call('models.setPreference', { category, model }),
          (overview) => ({ overview })
        )
      },
      setNodeLimit: (id, maxConcurrent, maxHeavy) =>
        act(
          `models.setNodeLimit:${id}`,
          () => client.call('models.setNodeLimit', { id, maxConcurrent, maxHeavy }),
          (overview) => ({ overview })
        ),
      pull: (node, model) =>
        act(
          'models.pull',
          () => client.call('models.pull', { node, model }),
          (p) => ({ pulls: { ...get().pulls, [p.pullId]: p } })
        ),
      async supervise(action, id) {
        const ok = await act(
          `supervisor.${action}:${id}`,
          () => client.call(`supervisor.${action}`, { id }),
          (status) => ({
            processes: get().processes.map((p) => (p.id === status.id ? status : p))
          })
        )
        if (ok) void read(api)
      },
      async ask(prompt, node) {
        set({ tryIt: { ...IDLE_TRY, running: true } })
        const result = await client.call('models.chat', {
          messages: [{ role: 'user', content: prompt }],
          ...(node ? { node } : {})
        })
        if (!result.ok) set({ tryIt: { ...IDLE_TRY, error: result.error.message } })
        else set({ tryIt: { ...get().tryIt, requestId: result.value.requestId } })
      },
      dismissError: () => set({ error: null })
    }
  },
  events: {
    'models.changed': (overview, { set }) => set({ overview }),
    'supervisor.changed': (processes, { set }) => set({ processes }),
    'health.changed': (health, { set }) => set({ health }),
    'config.changed': (config, { set }) => set({ limits: limitsFrom(config) }),
    'models.pullProgress': (p, api) => {
      api.set({ pulls: { ...api.get().pulls, [p.pullId]: p } })
      // A finished pull adds a model the overview does not list yet.
      if (p.state === 'done') void read(api)
    },
    'models.chatToken': ({ requestId, token }, { get, set }) => {
      const t = get().tryIt
      if (t.requestId === requestId) set({ tryIt: { ...t, text: t.text + token } })
    },
    'models.chatDone': ({ requestId, ok, node, model, error }, api) => {
      const t = api.get().tryIt
      if (t.requestId !== requestId) return
      api.set({
        tryIt: {
          ...t,
          running: false,
          answeredBy: ok && node && model ? `${model} on ${node}` : null,
          error: ok ? null : error
        }
      })
      // The answer measured the node's speed; the overview shows it.
      void read(api)
    }
  },
  reload: read
})

/** Picks the per-node caps and the pool's ceiling out of the settings; null when one is missing, rather than a guess. */
export function limitsFrom(config: ConfigSnapshot): NodeLimitsView | null {
  const numberOf = (key: string): number | null => {
    const value = config.settings.find((s) => s.key === key)?.value
    return typeof value === 'number' ? value : null
  }
  const values: Partial<Record<string, number>> = {}
  for (const key of BACKEND_LIMIT_KEYS) {
    const value = numberOf(key)
    if (value === null) return null
    values[key] = value
  }
  const poolMax = numberOf('worker.maxConcurrency')
  return poolMax === null ? null : { values: values as BackendLimitValues, poolMax }
}

export type NodeLimitDraft =
  | { readonly ok: true; readonly maxConcurrent: number | null; readonly maxHeavy: number | null }
  | { readonly ok: false; readonly errors: Partial<Record<'maxConcurrent' | 'maxHeavy', string>> }

/** The limits form's two fields, read by the contract's own rules: empty follows the kind's setting. */
export function readNodeLimitDraft(id: string, maxConcurrent: string, maxHeavy: string): NodeLimitDraft {
  const value = (text: string): number | null | string => {
    const trimmed = text.trim()
    if (trimmed === '') return null
    return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed
  }
  const input = { id, maxConcurrent: value(maxConcurrent), maxHeavy: value(maxHeavy) }
  const errors = validateForm(MODELS_CALLS['models.setNodeLimit'].input, input, {
    maxConcurrent: 'Model calls at once',
    maxHeavy: 'Heavy-model calls at once'
  })
  if (errors) return { ok: false, errors }
  return { ok: true, maxConcurrent: input.maxConcurrent as number | null, maxHeavy: input.maxHeavy as number | null }
}
