import { afterEach, describe, expect, it } from 'vitest'
import type { TasksChanged } from '../../shared/contract/tasks-contract'
import type { Core } from '../app/start-core'
import { createEventBus } from '../events/event-bus'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'
import { FULL_SCOPES, READ_SCOPES, inProcessClient } from './in-process-client'

const tempDir = useTempDirs()
const cores: Core[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close()
})

function core(): Core {
  const started = startTestCore(tempDir())
  cores.push(started)
  return started
}

const newTask = { title: 'Summarise the Q3 report', description: 'Three bullet points on revenue, costs and risks.' }

describe('in-process client', () => {
  it('lets a read-scoped caller read but not write, refusing the write as forbidden through the dispatcher', async () => {
    const c = core()
    const reader = c.client({ scopes: READ_SCOPES })
    const refused = await reader.call('tasks.create', newTask)
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden', call: 'tasks.create' }) })
    const paused = await reader.call('tasks.pause', {})
    expect(paused.ok ? 'written' : paused.error.code).toBe('forbidden')
    const listed = await reader.call('tasks.list', {})
    expect(listed.ok && listed.value.tasks).toEqual([])
  })

  it('lets a full-scoped caller write, validates its input like any caller, and delivers the pushed change', async () => {
    const c = core()
    const client = c.client({ scopes: FULL_SCOPES })
    const changes: TasksChanged[] = []
    const off = client.on('tasks.changed', (changed) => changes.push(changed))
    const created = await client.call('tasks.create', newTask)
    if (!created.ok) throw new Error(created.error.message)
    await expect.poll(() => changes.length).toBe(1)
    expect(changes[0]?.tasks.map((t) => t.id)).toEqual([created.value.id])
    const invalid = await client.call('tasks.create', { title: 'x', description: 'too short' })
    expect(invalid.ok ? 'accepted' : invalid.error.code).toBe('invalid_input')
    off()
  })

  it('turns a refusal a handler returns into the typed error the caller gets, naming the call', async () => {
    const client = core().client({ scopes: FULL_SCOPES })
    const first = await client.call('tasks.create', newTask)
    if (!first.ok) throw new Error(first.error.message)
    const again = await client.call('tasks.create', newTask)
    expect(again).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'conflict',
        call: 'tasks.create',
        issues: [{ path: 'existingId', message: first.value.id }]
      })
    })
    const missing = await client.call('tasks.get', { id: 'no-such-task' })
    expect(missing).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'not_found',
        call: 'tasks.get',
        message: 'Task "no-such-task" does not exist. Pick one from tasks.list.'
      })
    })
  })

  it('answers unavailable, not an exception, for a call made before the core has its dispatcher', async () => {
    const client = inProcessClient(
      { dispatcher: () => null, events: createEventBus(() => undefined) },
      { scopes: FULL_SCOPES }
    )
    const result = await client.call('tasks.counters', {})
    expect(result.ok ? 'answered' : result.error.code).toBe('unavailable')
    const statuses: string[] = []
    client.onStatus((s) => statuses.push(s))
    expect(statuses).toEqual(['connected'])
  })
})
