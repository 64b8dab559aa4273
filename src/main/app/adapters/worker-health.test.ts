import { describe, expect, it } from 'vitest'
import type { EngineState } from '../../../shared/contract/tasks-contract'
import { workerHealth } from './worker-health'

const state = (over: Partial<EngineState>): EngineState => ({
  processorConnected: true,
  paused: false,
  waiting: null,
  state: 'running',
  running: 0,
  concurrency: {} as EngineState['concurrency'],
  ...over
})

describe('worker health', () => {
  it('is ok while the pool runs with a model backend', async () => {
    expect(await workerHealth({ state: () => state({}) }).report()).toEqual({
      component: 'worker',
      level: 'ok',
      reasons: []
    })
  })

  it('is degraded while paused or without a backend, and down when stopped', async () => {
    expect(await workerHealth({ state: () => state({ paused: true }) }).report()).toMatchObject({
      level: 'degraded',
      reasons: [expect.stringContaining('paused')]
    })
    expect(await workerHealth({ state: () => state({ processorConnected: false }) }).report()).toMatchObject({
      level: 'degraded',
      reasons: [expect.stringContaining('No model backend')]
    })
    expect(await workerHealth({ state: () => state({ state: 'stopped' }) }).report()).toMatchObject({ level: 'down' })
  })
})
