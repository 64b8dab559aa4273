import { describe, expect, it } from 'vitest'
import type { EngineState } from '../../../../shared/contract/tasks-contract'
import { workerStatus } from './worker-status'

const engine = (change: Partial<EngineState>): EngineState => ({
  processorConnected: true,
  paused: false,
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
    at: '2026-01-01T00:00:00.000Z'
  },
  ...change
})

describe('worker status', () => {
  it('says a paused worker is paused, never also running, while its loop is alive', () => {
    const status = workerStatus(engine({ paused: true, state: 'running' }), 1)
    expect(status).toEqual({
      kind: 'paused',
      label: 'Paused',
      detail: 'Finishing the 1 task in progress; nothing new starts until you resume autoprocessing.'
    })
    expect(`${status.label} ${status.detail}`).not.toMatch(/running/i)
    expect(workerStatus(engine({ paused: true }), 0).detail).toBe('Nothing new starts until you resume autoprocessing.')
  })

  it('gives one state in plain words, the most important first', () => {
    expect(workerStatus(engine({ state: 'stopped', paused: true }), 0).kind).toBe('stopped')
    expect(workerStatus(engine({ state: 'stopping' }), 2).detail).toBe(
      'Finishing the 2 tasks in progress; nothing new starts.'
    )
    expect(workerStatus(engine({ processorConnected: false, paused: true }), 0).label).toBe('No model server')
    expect(workerStatus(engine({ waiting: 'No model server that could run them is up.' }), 0)).toMatchObject({
      kind: 'waiting',
      detail: 'Pending tasks wait: No model server that could run them is up.'
    })
    expect(workerStatus(engine({}), 3)).toMatchObject({
      label: 'Working',
      detail: '3 tasks in progress; pending ones start as slots free up.'
    })
    expect(workerStatus(engine({ state: 'idle' }), 0).label).toBe('Ready')
  })

  it('with no model server reachable and nothing queued, says tasks will wait, not Ready', () => {
    const down = 'No model node is reachable.'
    expect(workerStatus(engine({ state: 'idle' }), 0, down)).toEqual({
      kind: 'no_backend',
      label: 'No model server',
      detail: 'No model node is reachable; new tasks will wait as pending until a model server is reachable.'
    })
    expect(workerStatus(engine({ paused: true }), 0, down).kind).toBe('paused')
    expect(workerStatus(engine({ waiting: 'No server is up.' }), 0, down).kind).toBe('waiting')
    expect(workerStatus(engine({}), 0, null).label).toBe('Ready')
  })
})
