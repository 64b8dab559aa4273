import { afterEach, describe, expect, it } from 'vitest'
import type { QueuedTask } from '../ports/task-queue'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until } from './testing/test-engine'
import { createTaskQueue } from './task-queue'
import type { TasksEngine } from './tasks-engine'

describe('task queue port', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('creates at once, resolves a duplicate to the existing task, and reports status changes to watchers', async () => {
    const { engine } = testEngine(
      tempDir(),
      scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 30 }))
    )
    engines.push(engine)
    const queue = createTaskQueue(engine)
    const task = queue.create({
      title: 'Research the market',
      description: 'List the five biggest competitors.',
      assigneeExpert: 'analyst',
      correlationId: 'c-1'
    })
    expect(task.status).toBe('pending')
    expect(
      queue.create({
        title: 'research the  market',
        description: 'List the five biggest competitors.',
        assigneeExpert: 'analyst'
      }).id
    ).toBe(task.id)
    expect(engine.store.get(task.id)?.metadata).toEqual({ correlationId: 'c-1' })
    const seen: QueuedTask[] = []
    const stop = queue.watch([task.id], (t) => seen.push(t))
    engine.start()
    await until(() => seen.some((t) => t.status === 'completed'), 'completion seen by the watcher')
    stop()
    expect(seen.map((t) => t.status)).toEqual(['in_progress', 'completed'])
    expect(queue.get(task.id)).toMatchObject({ status: 'completed', result: GOOD_ANSWER })
    expect(() =>
      queue.create({ title: 'Child task', description: 'Depends on a missing parent.', parentTaskId: 'missing' })
    ).toThrow(/parentTaskId "missing"/)
  })
})
