import type { RpcError } from '../../../../shared/contract/rpc-error'
import {
  TASK_PAGE_SIZE,
  TASK_STATUSES,
  type EngineState,
  type TaskCounters,
  type TaskCreateInput,
  type TaskDetail,
  type TaskFacets,
  type TasksChanged,
  type TaskStatusCounts,
  type TaskSummary
} from '../../../../shared/contract/tasks-contract'
import { applyChanges, EMPTY_PAGES, firstPage, loadNextPage, type PagedList } from '../paged-list'
import { defineViewModel, type ViewModelApi } from '../view-model'
import { countedByStatus, listInput, NO_FILTERS, taskListShape, type TaskFilters } from './task-list-shape'
import { countOf } from '../../../../shared/count-of'
import { subtasksWithChanges } from './subtask-wait'

export type { TaskFilters } from './task-list-shape'

export interface TasksData {
  readonly filters: TaskFilters
  readonly list: PagedList<TaskSummary>
  /** The values each filter can take. */
  readonly facets: TaskFacets
  /** Tasks in manual review, newest first, a page at a time like the list. */
  readonly review: PagedList<TaskSummary>
  readonly counters: TaskCounters | null
  readonly engine: EngineState | null
  readonly selectedId: string | null
  readonly detail: TaskDetail | null
  /** The first read, or a refresh, is under way. */
  readonly loading: boolean
  readonly error: RpcError | null
  /** The last action's outcome, announced to screen readers. */
  readonly notice: string | null
}

export interface TasksActions {
  refresh(): Promise<void>
  setFilters(patch: Partial<TaskFilters>): Promise<void>
  /** The next page of the list, asked for by the virtual list as it nears the end of what is loaded. */
  loadMore(): Promise<void>
  loadMoreReview(): Promise<void>
  select(id: string | null): Promise<void>
  create(input: TaskCreateInput): Promise<RpcError | null>
  cancel(id: string): Promise<void>
  requeue(ids: readonly string[] | 'all'): Promise<void>
  /** Pause or resume autoprocessing; running tasks finish either way. */
  setPaused(paused: boolean): Promise<void>
}

export type TasksState = TasksData & TasksActions
// A burst of changes to the open task (it runs, logs progress, completes) reads its history once.
const DETAIL_READ_MS = 250
// Completions move the rates (per minute, latency percentiles), which no change carries; read them at most this often.
const RATES_READ_MS = 5000
const NO_FACETS: TaskFacets = { experts: [], domains: [], backends: [] }
const REVIEW_FILTERS: TaskFilters = { ...NO_FILTERS, status: 'deferred_to_human' }

/** Read generations (a newer read makes an older reply stale) and timers of one open view model. */
interface Local {
  /** Rows changed while a first page was being read: its reply may predate them, so they are applied again on top. */
  changedDuringRead: TaskSummary[] | null
  listRead: number
  reviewRead: number
  detailTimer: ReturnType<typeof setTimeout> | null
  ratesTimer: ReturnType<typeof setTimeout> | null
}
type Api = ViewModelApi<TasksState, Local>

async function readList(api: Api): Promise<void> {
  const { client, get, set, local } = api
  const read = ++local.listRead
  local.changedDuringRead = []
  const result = await client.call('tasks.list', { ...listInput(get().filters), limit: TASK_PAGE_SIZE })
  if (read !== local.listRead) return
  const missed = local.changedDuringRead
  local.changedDuringRead = null
  if (!result.ok) return set({ error: result.error, list: { ...get().list, loading: false } })
  const page = firstPage(result.value.tasks, result.value.nextCursor, result.value.total)
  const loaded = new Set(page.items.map((t) => t.id))
  set({
    list: applyChanges(page, missed, taskListShape(get().filters, loaded)),
    facets: result.value.facets ?? get().facets
  })
}

async function readReview(api: Api): Promise<void> {
  const { client, set, local } = api
  const read = ++local.reviewRead
  const result = await client.call('tasks.list', { status: 'deferred_to_human', limit: TASK_PAGE_SIZE })
  if (read !== local.reviewRead) return
  set(
    result.ok
      ? { review: firstPage(result.value.tasks, result.value.nextCursor, result.value.total) }
      : { error: result.error }
  )
}

async function readCounters({ client, set }: Api): Promise<void> {
  const result = await client.call('tasks.counters', {})
  set(result.ok ? { counters: result.value } : { error: result.error })
}

async function readEngine({ client, set }: Api): Promise<void> {
  const result = await client.call('tasks.engine', {})
  set(result.ok ? { engine: result.value } : { error: result.error })
}

async function readDetail({ client, get, set }: Api, id: string): Promise<void> {
  const result = await client.call('tasks.get', { id })
  if (get().selectedId !== id) return
  set(result.ok ? { detail: result.value } : { detail: null, error: result.error })
}

async function readAll(api: Api): Promise<void> {
  api.set({ loading: true })
  const { selectedId } = api.get()
  await Promise.all([
    readList(api),
    readReview(api),
    readCounters(api),
    readEngine(api),
    selectedId ? readDetail(api, selectedId) : Promise.resolve()
  ])
  api.set({ loading: false })
}

async function nextPage(api: Api, which: 'list' | 'review'): Promise<void> {
  const { client, get, set } = api
  const error = await loadNextPage(
    () => get()[which],
    (list) => set({ [which]: list }),
    (cursor) =>
      client.call('tasks.list', {
        ...(which === 'list' ? listInput(get().filters) : { status: 'deferred_to_human' as const }),
        cursor,
        limit: TASK_PAGE_SIZE
      }),
    (page) => page.tasks,
    (t) => t.id
  )
  if (error) set({ error })
}

const later = (
  timer: ReturnType<typeof setTimeout> | null,
  ms: number,
  run: () => void
): ReturnType<typeof setTimeout> => timer ?? setTimeout(run, ms)

/** The values with any new ones added, sorted; the same array when nothing is new, so the filters do not re-render. */
function withNew(values: readonly string[], added: readonly (string | null)[]): readonly string[] {
  const known = new Set(values)
  const fresh = added.filter((v): v is string => v !== null && !known.has(v))
  return fresh.length === 0 ? values : [...new Set([...values, ...fresh])].sort()
}

function withNewFacets(facets: TaskFacets, tasks: readonly TaskSummary[]): TaskFacets {
  const experts = withNew(
    facets.experts,
    tasks.map((t) => t.assigneeExpert)
  )
  const domains = withNew(
    facets.domains,
    tasks.map((t) => t.domain)
  )
  const backends = withNew(
    facets.backends,
    tasks.map((t) => t.backend)
  )
  return experts === facets.experts && domains === facets.domains && backends === facets.backends
    ? facets
    : { experts: [...experts], domains: [...domains], backends: [...backends] }
}

const total = (counts: TaskStatusCounts): number =>
  TASK_STATUSES.reduce((sum, status) => sum + (counts[status] ?? 0), 0)

/**
 * One committed write's changes, applied where they show: the loaded pages
 * of the list and of manual review, the counts by status, the filters'
 * values, and the open task (whose history is then read, once per burst).
 */
function applyChanged({ tasks, counts }: TasksChanged, api: Api): void {
  const { get, set, local } = api
  local.changedDuringRead?.push(...tasks)
  const state = get()
  const loaded = new Set(state.list.items.map((t) => t.id))
  const list = applyChanges(state.list, tasks, taskListShape(state.filters, loaded))
  const review = applyChanges(state.review, tasks, taskListShape(REVIEW_FILTERS, new Set()))
  const exact = countedByStatus(state.filters)
    ? state.filters.status
      ? (counts[state.filters.status] ?? 0)
      : total(counts)
    : list.total
  set({
    list: { ...list, total: exact },
    review: { ...review, total: counts.deferred_to_human ?? review.total },
    counters: state.counters ? { ...state.counters, byStatus: counts } : state.counters,
    facets: withNewFacets(state.facets, tasks)
  })
  const subtasks = state.detail && subtasksWithChanges(state.detail, tasks)
  if (state.detail && subtasks) set({ detail: { ...state.detail, subtasks } })
  const detail = get().detail
  const open = detail && tasks.find((t) => t.id === detail.task.id)
  if (open && detail && open.updatedAt !== detail.task.updatedAt) {
    set({ detail: { ...detail, task: { ...detail.task, ...open } } })
    local.detailTimer = later(local.detailTimer, DETAIL_READ_MS, () => {
      local.detailTimer = null
      const id = get().selectedId
      if (id) void readDetail(api, id)
    })
  }
  if (tasks.some((t) => t.status === 'completed' || t.status === 'deferred_to_human')) {
    local.ratesTimer = later(local.ratesTimer, RATES_READ_MS, () => {
      local.ratesTimer = null
      void readCounters(api)
    })
  }
}

/** The Tasks view: the paged list with its filters, manual review, counters, the worker and the open task. */
export const tasksModel = defineViewModel<TasksData, TasksActions, void, Local>({
  initialState: () => ({
    filters: NO_FILTERS,
    list: EMPTY_PAGES,
    facets: NO_FACETS,
    review: EMPTY_PAGES,
    counters: null,
    engine: null,
    selectedId: null,
    detail: null,
    loading: false,
    error: null,
    notice: null
  }),
  local: () => ({ changedDuringRead: null, listRead: 0, reviewRead: 0, detailTimer: null, ratesTimer: null }),
  actions: (api) => {
    const { client, get, set } = api
    return {
      refresh: () => readAll(api),
      async setFilters(patch) {
        set({ filters: { ...get().filters, ...patch }, list: { ...get().list, loading: true } })
        await readList(api)
      },
      loadMore: () => nextPage(api, 'list'),
      loadMoreReview: () => nextPage(api, 'review'),
      async select(id) {
        set({ selectedId: id, detail: null })
        if (id) await readDetail(api, id)
      },
      async create(input) {
        const result = await client.call('tasks.create', input)
        if (!result.ok) return result.error
        // One round trip: the answer carries the new task with its history, so it opens as it is; the list and
        // the counters take the one change pushed for it.
        const { events, ...task } = result.value
        set({
          notice: `Queued “${task.title}”.`,
          error: null,
          selectedId: task.id,
          detail: { task, events, subtasks: [] }
        })
        return null
      },
      async cancel(id) {
        const result = await client.call('tasks.cancel', { id })
        set(result.ok ? { notice: `Cancelled “${result.value.title}”.`, error: null } : { error: result.error })
      },
      async setPaused(paused) {
        const result = await client.call(paused ? 'tasks.pause' : 'tasks.resume', {})
        set(
          result.ok
            ? {
                engine: result.value,
                notice: paused
                  ? 'Autoprocessing paused: running tasks finish, no new one starts.'
                  : 'Autoprocessing resumed.',
                error: null
              }
            : { error: result.error }
        )
      },
      async requeue(ids) {
        const result = await client.call('tasks.requeue', ids === 'all' ? { all: true } : { ids: [...ids] })
        set(
          result.ok
            ? { notice: `Returned ${countOf(result.value.requeued.length, 'task')} to autoprocessing.`, error: null }
            : { error: result.error }
        )
      }
    }
  },
  events: {
    'tasks.changed': applyChanged,
    'tasks.engineChanged': (engine, { set }) => set({ engine }),
    'tasks.concurrency': (concurrency, { get, set }) => {
      const engine = get().engine
      if (engine) set({ engine: { ...engine, concurrency } })
    }
  },
  reload: readAll,
  dispose({ local }) {
    if (local.detailTimer) clearTimeout(local.detailTimer)
    if (local.ratesTimer) clearTimeout(local.ratesTimer)
    local.detailTimer = local.ratesTimer = null
  }
})
