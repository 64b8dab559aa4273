import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CallInput } from '../../../../shared/contract/contract'
import {
  TASK_ERROR_TYPES,
  type EngineState,
  type TaskCounters,
  type TaskDetail,
  type TaskStatus,
  type TaskStatusCounts,
  type TaskSummary
} from '../../../../shared/contract/tasks-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { tasksModel } from './tasks-model'
import { subtaskProgress } from './subtask-wait'

const minute = (m: number): string => `2026-01-01T00:${String(m).padStart(2, '0')}:00.000Z`
const task = (id: string, m: number, patch: Partial<TaskSummary> = {}): TaskSummary => ({
  id,
  title: `Task ${id}`,
  domain: null,
  priority: 'normal',
  assigneeExpert: null,
  status: 'pending',
  attemptCount: 0,
  lastError: null,
  errorType: null,
  backend: null,
  model: null,
  nextRetryAfter: null,
  createdAt: minute(m),
  updatedAt: minute(m),
  ...patch
})
const counts = (patch: Partial<TaskStatusCounts> = {}): TaskStatusCounts => ({
  pending: 0,
  in_progress: 0,
  completed: 0,
  failed: 0,
  deferred_to_human: 0,
  cancelled: 0,
  ...patch
})
const counters = (byStatus: TaskStatusCounts): TaskCounters => ({
  byStatus,
  deferredToHumanTotal: 0,
  deferredByErrorType: Object.fromEntries(TASK_ERROR_TYPES.map((t) => [t, 0])) as TaskCounters['deferredByErrorType'],
  completionsPerMinute: 0,
  latency: []
})
const concurrency = {
  effective: 2,
  floor: 1,
  ceiling: 4,
  reason: 'start',
  cpuLoad: 0,
  freeMemoryRatio: 0.5,
  activeRequests: 0,
  latencyMs: null,
  errorRate: 0,
  oomRecently: false,
  at: minute(0)
}
const engine: EngineState = {
  processorConnected: true,
  paused: false,
  waiting: null,
  state: 'running',
  running: 0,
  concurrency
}
const detailOf = (t: TaskSummary): TaskDetail => ({
  task: {
    ...t,
    description: 'd',
    parentTaskId: null,
    preferredBackend: null,
    preferredModel: null,
    leaseOwner: null,
    heartbeatAt: null,
    result: null,
    metadata: {},
    batchGroup: null,
    completedAt: null,
    latencyMs: null
  },
  events: [
    {
      seq: 1,
      taskId: t.id,
      kind: 'created',
      status: 'pending',
      attempt: 0,
      message: null,
      errorType: null,
      at: t.createdAt
    }
  ],
  subtasks: []
})

/** A queue of tasks the fake core pages through as the store would: newest first, filtered by status; `children` names each parent's subtasks. */
function core(all: TaskSummary[], pageSize = 2, children: Readonly<Record<string, readonly string[]>> = {}) {
  return fakeClient({
    'tasks.list': (input: CallInput<'tasks.list'>) => {
      const matching = all
        .filter((t) => !input.status || t.status === input.status)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      const from = input.cursor ? Number(input.cursor.split(':')[0]) : 0
      const page = matching.slice(from, from + pageSize)
      const more = from + pageSize < matching.length
      return {
        ok: true,
        value: {
          tasks: page,
          total: input.cursor ? null : matching.length,
          nextCursor: more ? `${from + pageSize}:x` : null,
          facets: input.cursor ? null : { experts: [], domains: [], backends: [] }
        }
      }
    },
    'tasks.counters': () => ({
      ok: true,
      value: counters(counts({ pending: all.filter((t) => t.status === 'pending').length }))
    }),
    'tasks.engine': () => ({ ok: true, value: engine }),
    'tasks.get': ({ id }) => {
      const found = all.find((t) => t.id === id)
      return found
        ? {
            ok: true,
            value: {
              ...detailOf(found),
              subtasks: all
                .filter((t) => children[id]?.includes(t.id))
                .map(({ id, title, status }) => ({ id, title, status }))
            }
          }
        : { ok: false, error: { code: 'not_found', message: `no task ${id}` } }
    },
    'tasks.create': (input) => {
      const created = detailOf(task('new', 9, { title: input.title }))
      return { ok: true, value: { ...created.task, events: created.events } }
    }
  })
}

/** The view model open on a fake core holding these tasks, read, with its calls so far forgotten; `open` also selects a task. */
async function opened(
  all: TaskSummary[],
  pageSize = 10,
  open: string | null = null,
  children: Readonly<Record<string, readonly string[]>> = {}
) {
  const fake = core(all, pageSize, children)
  const model = createViewModel(tasksModel, fake.client, undefined)
  const dispose = model.connect()
  await settle()
  if (open) await model.getState().select(open)
  fake.calls.length = 0
  return { fake, model, dispose }
}

describe('tasks view model', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('reads the first page, counters, review and engine when connected, and the next page as the list asks', async () => {
    const fake = core([task('a', 1), task('b', 2), task('c', 3)])
    const model = createViewModel(tasksModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    expect(model.getState().list).toMatchObject({ total: 3, nextCursor: '2:x', loading: false })
    expect(model.getState().list.items.map((t) => t.id)).toEqual(['c', 'b'])
    expect(model.getState().counters?.byStatus.pending).toBe(3)
    await model.getState().loadMore()
    expect(model.getState().list.items.map((t) => t.id)).toEqual(['c', 'b', 'a'])
    expect(model.getState().list.nextCursor).toBeNull()
    dispose()
  })

  it('applies tasks.changed to the loaded list, the counters, review and the filters’ values, without a read', async () => {
    const fake = core([task('a', 1), task('b', 2)], 10)
    const model = createViewModel(tasksModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    const reads = fake.calls.length

    fake.emit('tasks.changed', { tasks: [task('n', 5, { domain: 'ops' })], counts: counts({ pending: 3 }) })
    expect(model.getState().list.items.map((t) => t.id)).toEqual(['n', 'b', 'a'])
    expect(model.getState().list.total).toBe(3)
    expect(model.getState().counters?.byStatus.pending).toBe(3)
    expect(model.getState().facets.domains).toEqual(['ops'])

    fake.emit('tasks.changed', {
      tasks: [task('a', 1, { status: 'deferred_to_human', updatedAt: minute(6), lastError: 'boom' })],
      counts: counts({ pending: 2, deferred_to_human: 1 })
    })
    expect(model.getState().review.items.map((t) => t.id)).toEqual(['a'])
    expect(model.getState().review.total).toBe(1)
    expect(model.getState().list.items.find((t) => t.id === 'a')?.status).toBe('deferred_to_human')
    expect(fake.calls.length).toBe(reads)
    dispose()
  })

  it('keeps a filtered list to its filter as tasks change status', async () => {
    const fake = core([task('a', 1), task('b', 2)], 10)
    const model = createViewModel(tasksModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    await model.getState().setFilters({ status: 'pending' as TaskStatus })
    fake.emit('tasks.changed', {
      tasks: [task('b', 2, { status: 'in_progress', updatedAt: minute(7) })],
      counts: counts({ pending: 1, in_progress: 1 })
    })
    expect(model.getState().list.items.map((t) => t.id)).toEqual(['a'])
    expect(model.getState().list.total).toBe(1)
    dispose()
  })

  it('creates with one call and opens the new task from its answer; the list takes the one pushed change', async () => {
    const { fake, model, dispose } = await opened([])
    expect(await model.getState().create({ title: 'Summarise Q3', description: 'Five bullet points.' })).toBeNull()
    expect(fake.names()).toEqual(['tasks.create'])
    expect(model.getState().notice).toBe('Queued “Summarise Q3”.')
    expect(model.getState().selectedId).toBe('new')
    expect(model.getState().detail?.task.title).toBe('Summarise Q3')
    expect(model.getState().detail?.events.map((e) => e.kind)).toEqual(['created'])
    const created = task('new', 9, { title: 'Summarise Q3' })
    fake.emit('tasks.changed', { tasks: [created], counts: counts({ pending: 1 }) })
    expect(model.getState().list.items.map((t) => t.id)).toEqual(['new'])
    expect(model.getState().list.total).toBe(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(fake.names()).toEqual(['tasks.create'])
    dispose()
  })

  it('reads the open task’s history once per burst of its changes', async () => {
    const a = task('a', 1)
    const { fake, model, dispose } = await opened([a], 10, 'a')
    for (const at of [2, 3, 4])
      fake.emit('tasks.changed', {
        tasks: [{ ...a, status: 'in_progress', updatedAt: minute(at) }],
        counts: counts({ in_progress: 1 })
      })
    expect(model.getState().detail?.task.status).toBe('in_progress')
    expect(fake.names()).toEqual([])
    await vi.advanceTimersByTimeAsync(300)
    expect(fake.names()).toEqual(['tasks.get'])
    dispose()
  })

  it('follows the open parent’s subtasks from the pushed changes of theirs alone, without a read', async () => {
    const parent = task('p', 1, { title: 'Plan the launch' })
    const [market, rivals, pricing] = ['market', 'rivals', 'pricing'].map((id, i) => task(id, 2 + i, { title: id }))
    const { fake, model, dispose } = await opened([parent, market!, rivals!, pricing!], 10, 'p', {
      p: ['market', 'rivals', 'pricing']
    })
    const progress = () => {
      const detail = model.getState().detail
      return detail && subtaskProgress(detail)?.label
    }
    expect(progress()).toBe('Waiting for 3 of 3 subtasks')
    fake.emit('tasks.changed', {
      tasks: [{ ...market!, status: 'completed', updatedAt: minute(7) }],
      counts: counts({ pending: 3, completed: 1 })
    })
    fake.emit('tasks.changed', {
      tasks: [
        { ...rivals!, status: 'completed', updatedAt: minute(8) },
        { ...pricing!, status: 'in_progress' }
      ],
      counts: counts({ pending: 1, in_progress: 1, completed: 2 })
    })
    expect(progress()).toBe('Waiting for 1 of 3 subtasks')
    expect(model.getState().detail?.subtasks.map((s) => s.status)).toEqual(['completed', 'completed', 'in_progress'])
    await vi.advanceTimersByTimeAsync(300)
    expect(fake.names().filter((n) => n === 'tasks.get')).toEqual([])
    dispose()
  })

  it('reads everything again after a reconnect, and drops its subscriptions and timers when disposed', async () => {
    const a = task('a', 1)
    const { fake, model, dispose } = await opened([a], 10, 'a')
    fake.setStatus('disconnected')
    fake.setStatus('connected')
    await settle()
    expect(new Set(fake.names())).toEqual(new Set(['tasks.list', 'tasks.counters', 'tasks.engine', 'tasks.get']))
    expect(model.getState()).toMatchObject({ loading: false, detail: { task: { id: 'a' } }, list: { total: 1 } })

    fake.emit('tasks.changed', {
      tasks: [{ ...a, status: 'completed', updatedAt: minute(9) }],
      counts: counts({ completed: 1 })
    })
    dispose()
    expect(fake.listening()).toBe(0)
    fake.calls.length = 0
    await vi.advanceTimersByTimeAsync(10_000)
    expect(fake.names()).toEqual([])
  })
})
