import { describe, expect, it } from 'vitest'
import type { CallName, CallOutput } from '../../shared/contract/contract'
import { createEventBus } from '../events/event-bus'
import type { ReadCall } from '../rpc/read-call'
import { watchCoreStatus } from './core-status'
import type { ShellStatus } from './shell-status'

const OLLAMA_DOWN = { component: 'ollama', level: 'degraded' as const, reasons: ['not reachable'] }

function fakeCore(state: { deferred: number; paused: boolean; checked?: boolean }) {
  let reads = 0
  const read: ReadCall = async (name: CallName) => {
    if (name === 'tasks.counters') reads++
    const answers: Partial<Record<CallName, unknown>> = {
      'health.get': { level: state.checked === false ? 'ok' : 'degraded', reasons: state.checked === false ? [] : ['Ollama at http://localhost:11434 is not reachable'], components: state.checked === false ? [] : [OLLAMA_DOWN], checkedAt: '2026-11-24T10:00:00.000Z' },
      'tasks.counters': { byStatus: { deferred_to_human: state.deferred }, deferredToHumanTotal: 0, deferredByErrorType: {}, completionsPerMinute: 0, latency: [] },
      'tasks.engine': { paused: state.paused } as Partial<CallOutput<'tasks.engine'>>
    }
    return { ok: true, value: answers[name] }
  }
  return { read, reads: () => reads }
}

describe('shell status from the core', () => {
  it('starts from the core’s health, manual-review count and pause state', async () => {
    const seen: ShellStatus[] = []
    const core = fakeCore({ deferred: 2, paused: true })
    const stop = watchCoreStatus({ read: core.read, events: createEventBus(() => undefined), onStatus: (s) => seen.push(s) })
    await expect.poll(() => seen.at(-1)).toEqual({ level: 'degraded', reasons: ['Ollama at http://localhost:11434 is not reachable'], deferredCount: 2, autoprocessing: 'paused' })
    stop()
  })

  it('says the app is starting, not healthy, until the first health check has run, then follows it', async () => {
    const seen: ShellStatus[] = []
    const events = createEventBus(() => undefined)
    const stop = watchCoreStatus({ read: fakeCore({ deferred: 0, paused: false, checked: false }).read, events, onStatus: (s) => seen.push(s) })
    await expect.poll(() => seen.length).toBeGreaterThan(1)
    expect(seen.map((s) => s.level)).toEqual(seen.map(() => 'unknown'))
    expect(seen.at(-1)?.reasons).toEqual(['Starting: checking model servers, the worker and the database'])
    events.emit('health.changed', { level: 'down', reasons: ['no model server answers'], components: [OLLAMA_DOWN], checkedAt: '2026-11-24T10:01:00.000Z' })
    expect(seen.at(-1)).toMatchObject({ level: 'down', reasons: ['no model server answers'] })
    stop()
  })

  it('follows pushed health at once and re-reads the count once for a burst of task events', async () => {
    const seen: ShellStatus[] = []
    const state = { deferred: 0, paused: false }
    const core = fakeCore(state)
    const events = createEventBus(() => undefined)
    const stop = watchCoreStatus({ read: core.read, events, onStatus: (s) => seen.push(s), coalesceMs: 20 })
    await expect.poll(() => seen.length).toBeGreaterThan(1)
    events.emit('health.changed', { level: 'down', reasons: ['no model server answers'], components: [OLLAMA_DOWN], checkedAt: '2026-11-24T10:01:00.000Z' })
    expect(seen.at(-1)).toMatchObject({ level: 'down', reasons: ['no model server answers'] })

    const readsBefore = core.reads()
    state.deferred = 5
    for (let i = 0; i < 20; i++) events.emit('tasks.event', { taskId: `t${i}` } as never)
    await expect.poll(() => seen.at(-1)?.deferredCount).toBe(5)
    expect(core.reads() - readsBefore).toBe(1)
    stop()
  })
})
