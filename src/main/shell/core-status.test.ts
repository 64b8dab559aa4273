import { describe, expect, it } from 'vitest'
import type { CallOutput } from '../../shared/contract/contract'
import { TASK_ERROR_TYPES, type TaskErrorType, type TaskStatusCounts } from '../../shared/contract/tasks-contract'
import { answeringClient } from '../test-support/answering-client'
import { watchCoreStatus } from './core-status'
import type { ShellStatus } from './shell-status'

const OLLAMA_DOWN = { component: 'ollama', level: 'degraded' as const, reasons: ['not reachable'] }
const counts = (deferred: number): TaskStatusCounts => ({
  pending: 0,
  in_progress: 0,
  completed: 0,
  failed: 0,
  deferred_to_human: deferred,
  cancelled: 0
})
const engine = (paused: boolean): CallOutput<'tasks.engine'> => ({
  processorConnected: true,
  paused,
  waiting: null,
  state: 'running',
  running: 0,
  concurrency: {
    effective: 2,
    floor: 1,
    ceiling: 4,
    reason: 'steady',
    cpuLoad: 0.2,
    freeMemoryRatio: 0.5,
    activeRequests: 0,
    latencyMs: null,
    errorRate: 0,
    oomRecently: false,
    at: '2026-11-24T10:00:00.000Z'
  }
})

function fakeCore(state: { deferred: number; paused: boolean; checked?: boolean; approvals?: number }) {
  const checked = state.checked !== false
  return answeringClient({
    'health.get': () => ({
      level: checked ? 'degraded' : 'ok',
      reasons: checked ? ['Ollama at http://localhost:11434 is not reachable'] : [],
      components: checked ? [OLLAMA_DOWN] : [],
      checkedAt: '2026-11-24T10:00:00.000Z'
    }),
    'tasks.counters': () => ({
      byStatus: counts(state.deferred),
      deferredToHumanTotal: 0,
      deferredByErrorType: Object.fromEntries(TASK_ERROR_TYPES.map((t) => [t, 0])) as Record<TaskErrorType, number>,
      completionsPerMinute: 0,
      latency: []
    }),
    'tasks.engine': () => engine(state.paused),
    'approvals.list': () => ({ approvals: [], pending: state.approvals ?? 0 })
  })
}

describe('shell status from the core', () => {
  it('starts from the core’s health, manual-review count, approvals waiting and pause state', async () => {
    const seen: ShellStatus[] = []
    const core = fakeCore({ deferred: 2, paused: true, approvals: 5 })
    const stop = watchCoreStatus({ client: core.client, onStatus: (s) => seen.push(s) })
    await expect
      .poll(() => seen.at(-1))
      .toEqual({
        level: 'degraded',
        reasons: ['Ollama at http://localhost:11434 is not reachable'],
        deferredCount: 2,
        approvalsPending: 5,
        autoprocessing: 'paused'
      })
    stop()
  })

  it('says the app is starting, not healthy, until the first health check has run, then follows it', async () => {
    const seen: ShellStatus[] = []
    const core = fakeCore({ deferred: 0, paused: false, checked: false })
    const stop = watchCoreStatus({ client: core.client, onStatus: (s) => seen.push(s) })
    await expect.poll(() => seen.length).toBeGreaterThan(0)
    expect(seen.map((s) => s.level)).toEqual(seen.map(() => 'unknown'))
    expect(seen.at(-1)?.reasons).toEqual(['Starting: checking model servers, the worker and the database'])
    core.push({
      type: 'event',
      name: 'health.changed',
      payload: {
        level: 'down',
        reasons: ['no model server answers'],
        components: [OLLAMA_DOWN],
        checkedAt: '2026-11-24T10:01:00.000Z'
      }
    })
    expect(seen.at(-1)).toMatchObject({ level: 'down', reasons: ['no model server answers'] })
    stop()
  })

  it('follows pushed health, counts and pause state at once, without reading the core again', async () => {
    const seen: ShellStatus[] = []
    const core = fakeCore({ deferred: 0, paused: false })
    const stop = watchCoreStatus({ client: core.client, onStatus: (s) => seen.push(s) })
    await expect.poll(() => seen.length).toBeGreaterThan(0)
    const readsAfterStart = core.calls.length
    core.push({
      type: 'event',
      name: 'health.changed',
      payload: {
        level: 'down',
        reasons: ['no model server answers'],
        components: [OLLAMA_DOWN],
        checkedAt: '2026-11-24T10:01:00.000Z'
      }
    })
    expect(seen.at(-1)).toMatchObject({ level: 'down', reasons: ['no model server answers'] })
    for (let i = 1; i <= 20; i++)
      core.push({ type: 'event', name: 'tasks.changed', payload: { tasks: [], counts: counts(i) } })
    expect(seen.at(-1)?.deferredCount).toBe(20)
    core.push({ type: 'event', name: 'tasks.engineChanged', payload: engine(true) })
    expect(seen.at(-1)?.autoprocessing).toBe('paused')
    core.push({ type: 'event', name: 'approvals.changed', payload: { pending: 3, ids: ['apr_1'] } })
    expect(seen.at(-1)?.approvalsPending).toBe(3)
    expect(core.calls.length).toBe(readsAfterStart)
    stop()
  })
})
