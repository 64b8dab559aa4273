import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'

describe('tasks engine: an answer the disk would not take', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('keeps the answer and writes it once the database takes writes again, without running the task twice', async () => {
    const processor = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 1 }))
    const { engine, db } = testEngine(tempDir(), processor)
    engines.push(engine)
    // Every completion is refused, as a full disk refuses the commit that holds it.
    db.exec(`CREATE TEMP TRIGGER refuse_completion BEFORE UPDATE OF status ON tasks WHEN NEW.status = 'completed'
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
    engine.start()
    const made = await engine.create({ title: 'Answer me', description: 'Please answer this in full, with reasons.' })
    if (!made.ok) throw new Error('not created')
    const id = made.task.id
    await until(
      () => processor.calls.length === 1 && engine.state().running === 0,
      'the run to end, its answer unwritten'
    )
    expect(engine.store.get(id)?.status).toBe('in_progress')

    db.exec('DROP TRIGGER refuse_completion')
    await until(() => engine.store.get(id)?.status === 'completed', 'the kept answer to be written')
    expect(engine.store.get(id)).toMatchObject({ result: GOOD_ANSWER, attemptCount: 1 })
    expect(processor.calls).toHaveLength(1)
  })

  it('puts a task whose attempt the disk failed back to wait, counting no attempt however often, and runs it once there is room', async () => {
    let refusals = 5
    const base = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 1 }))
    const processor = {
      ...base,
      process: (...args: Parameters<typeof base.process>) => {
        if (refusals-- > 0)
          return Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))
        return base.process(...args)
      }
    }
    // One attempt: a failure counted against the task would send it straight to manual review.
    const { engine, events } = testEngine(tempDir(), processor, { 'worker.maxAttempts': 1 })
    engines.push(engine)
    engine.start()
    const made = await engine.create({ title: 'Answer me', description: 'Please answer this in full, with reasons.' })
    if (!made.ok) throw new Error('not created')
    await until(() => engine.store.get(made.task.id)?.status === 'completed', 'the task to complete once there is room')
    const waits = events.filter((e) => e.kind === 'waiting')
    expect(waits).toHaveLength(5)
    expect(waits.every((e) => e.attempt === 0 && e.message?.startsWith('The disk refused a write'))).toBe(true)
    expect(events.filter((e) => e.kind === 'failed' || e.kind === 'deferred')).toEqual([])
    expect(engine.store.get(made.task.id)).toMatchObject({ attemptCount: 1, result: GOOD_ANSWER })
  })
})
