import { createStore, type StoreApi } from 'zustand/vanilla'
import type { KosClient } from '../../../../shared/contract/client'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import type { EngineState, TaskCounters, TaskCreateInput, TaskDetail, TaskList, TaskStatus, TaskSummary } from '../../../../shared/contract/tasks-contract'

export interface TaskFilters {
  readonly status: TaskStatus | ''
  readonly expert: string
  readonly domain: string
  readonly backend: string
  readonly search: string
}

export interface TasksState {
  readonly filters: TaskFilters
  readonly list: TaskList | null
  readonly review: readonly TaskSummary[]
  readonly reviewTotal: number
  readonly counters: TaskCounters | null
  readonly engine: EngineState | null
  readonly selectedId: string | null
  readonly detail: TaskDetail | null
  readonly loading: boolean
  readonly error: RpcError | null
  /** The last action's outcome, announced to screen readers. */
  readonly notice: string | null
  load(): Promise<void>
  setFilters(patch: Partial<TaskFilters>): void
  select(id: string | null): Promise<void>
  create(input: TaskCreateInput): Promise<RpcError | null>
  cancel(id: string): Promise<void>
  requeue(ids: readonly string[] | 'all'): Promise<void>
  /** Pause or resume autoprocessing; running tasks finish either way. */
  setPaused(paused: boolean): Promise<void>
}

const NO_FILTERS: TaskFilters = { status: '', expert: '', domain: '', backend: '', search: '' }
// Events come in bursts (a pool finishing many tasks); the view re-reads at most this often.
const REFRESH_MS = 250

export function createTasksStore(client: KosClient): StoreApi<TasksState> & { dispose(): void } {
  let refreshTimer: ReturnType<typeof setTimeout> | null = null
  let listRequest = 0

  const readList = async (): Promise<void> => {
    const { filters } = store.getState()
    const request = ++listRequest
    const result = await client.call('tasks.list', {
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.expert ? { expert: filters.expert } : {}),
      ...(filters.domain ? { domain: filters.domain } : {}),
      ...(filters.backend ? { backend: filters.backend } : {}),
      ...(filters.search.trim() ? { search: filters.search.trim() } : {})
    })
    if (request !== listRequest) return
    store.setState(result.ok ? { list: result.value } : { error: result.error })
  }

  const readDetail = async (id: string): Promise<void> => {
    const result = await client.call('tasks.get', { id })
    if (store.getState().selectedId !== id) return
    store.setState(result.ok ? { detail: result.value } : { detail: null, error: result.error })
  }

  const readRest = async (): Promise<void> => {
    const [counters, engine, review] = await Promise.all([
      client.call('tasks.counters', {}),
      client.call('tasks.engine', {}),
      client.call('tasks.list', { status: 'deferred_to_human', limit: 1000 })
    ])
    store.setState({
      ...(counters.ok ? { counters: counters.value } : { error: counters.error }),
      ...(engine.ok ? { engine: engine.value } : { error: engine.error }),
      ...(review.ok ? { review: review.value.tasks, reviewTotal: review.value.total ?? review.value.tasks.length } : { error: review.error })
    })
  }

  const scheduleRefresh = (): void => {
    if (refreshTimer) return
    refreshTimer = setTimeout(() => {
      refreshTimer = null
      const { selectedId } = store.getState()
      void Promise.all([readList(), readRest(), selectedId ? readDetail(selectedId) : Promise.resolve()])
    }, REFRESH_MS)
  }

  const store = createStore<TasksState>()((set, get) => ({
    filters: NO_FILTERS,
    list: null,
    review: [],
    reviewTotal: 0,
    counters: null,
    engine: null,
    selectedId: null,
    detail: null,
    loading: false,
    error: null,
    notice: null,
    async load() {
      set({ loading: true, error: null })
      const { selectedId } = get()
      await Promise.all([readList(), readRest(), selectedId ? readDetail(selectedId) : Promise.resolve()])
      set({ loading: false })
    },
    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch } })
      void readList()
    },
    async select(id) {
      set({ selectedId: id, detail: null })
      if (id) await readDetail(id)
    },
    async create(input) {
      const result = await client.call('tasks.create', input)
      if (!result.ok) return result.error
      set({ notice: `Queued “${result.value.title}”.` })
      await Promise.all([readList(), readRest()])
      await get().select(result.value.id)
      return null
    },
    async cancel(id) {
      const result = await client.call('tasks.cancel', { id })
      set(result.ok ? { notice: `Cancelled “${result.value.title}”.`, error: null } : { error: result.error })
      scheduleRefresh()
    },
    async setPaused(paused) {
      const result = await client.call(paused ? 'tasks.pause' : 'tasks.resume', {})
      set(result.ok ? { engine: result.value, notice: paused ? 'Autoprocessing paused: running tasks finish, no new one starts.' : 'Autoprocessing resumed.', error: null } : { error: result.error })
    },
    async requeue(ids) {
      const result = await client.call('tasks.requeue', ids === 'all' ? { all: true } : { ids: [...ids] })
      set(
        result.ok
          ? { notice: `Returned ${result.value.requeued.length} task${result.value.requeued.length === 1 ? '' : 's'} to autoprocessing.`, error: null }
          : { error: result.error }
      )
      scheduleRefresh()
    }
  }))

  const offEvent = client.on('tasks.changed', scheduleRefresh)
  const offEngine = client.on('tasks.engineChanged', (engine) => store.setState({ engine }))
  const offConcurrency = client.on('tasks.concurrency', (concurrency) => {
    const engine = store.getState().engine
    if (engine) store.setState({ engine: { ...engine, concurrency } })
  })
  const offStatus = client.onStatus((status) => {
    if (status === 'connected') void store.getState().load()
  })
  return Object.assign(store, {
    dispose() {
      offEvent()
      offEngine()
      offConcurrency()
      offStatus()
      if (refreshTimer) clearTimeout(refreshTimer)
    }
  })
}
