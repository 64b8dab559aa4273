import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'
import type { TasksChanged } from '../../shared/contract/tasks-contract'

/** A processor whose runs go on until the test answers them. */
function answeredByTheTest() {
  const held = { answer: (_text: string): void => undefined, runs: 0 }
  const processor = scriptedProcessor(() => ({ kind: 'hang' }))
  processor.process = () => new Promise<string>((resolve) => ((held.answer = resolve), held.runs++))
  return { processor, held }
}

const CLAIMED_THEN_COMPLETED = [
  ['created', null],
  ['claimed', 'on test/echo'],
  ['completed', null]
]

describe("a run's claim in the task's trail", () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('a task answered within the group commit after its start writes one event for the attempt, which says where it ran', async () => {
    const processor = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER }))
    // Answers at once, with no progress line (a progress line is written with the claim's event before it).
    processor.process = () => Promise.resolve(GOOD_ANSWER)
    const h = testEngine(tempDir(), processor)
    engines.push(h.engine)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const made = await h.engine.create({ title: `quick ${i}`, description: `a quick task, number ${i}` })
      if (!made.ok) throw new Error('not created')
      ids.push(made.task.id)
    }
    h.engine.start()
    await until(() => ids.every((id) => h.engine.store.get(id)?.status === 'completed'), 'every task completed')
    for (const id of ids) {
      const trail = h.engine.store.events(id)
      expect(trail.map((e) => [e.kind, e.attempt, e.message])).toEqual([
        ['created', 0, null],
        ['completed', 1, 'on test/echo']
      ])
    }
  })

  it('a run still going at the next group commit gets its claimed event there, pushed as running, before its answer', async () => {
    const { processor, held } = answeredByTheTest()
    const changed: TasksChanged[] = []
    const h = testEngine(tempDir(), processor, {}, { publishChanged: (c) => changed.push(c) })
    engines.push(h.engine)
    const made = await h.engine.create({ title: 'Long report', description: 'Write the long report, with reasons.' })
    if (!made.ok) throw new Error('not created')
    const id = made.task.id
    h.engine.start()
    await until(() => h.events.some((e) => e.taskId === id && e.kind === 'claimed'), 'the claim to be announced')
    expect(h.engine.store.events(id).map((e) => e.kind)).toEqual(['created', 'claimed'])
    const pushed = changed.flatMap((c) => c.tasks).filter((t) => t.id === id)
    expect(pushed.at(-1)).toMatchObject({ status: 'in_progress', backend: 'test', model: 'echo', attemptCount: 1 })
    held.answer(GOOD_ANSWER)
    await until(() => h.engine.store.get(id)?.status === 'completed', 'the task to complete')
    expect(h.engine.store.events(id).map((e) => [e.kind, e.message])).toEqual(CLAIMED_THEN_COMPLETED)
  })

  it('a claim whose event a failed group took back is announced by a later group while its run still goes', async () => {
    const { processor, held } = answeredByTheTest()
    const h = testEngine(tempDir(), processor)
    engines.push(h.engine)
    // The group that writes the claim's event is refused whole, as a full disk refuses its commit.
    h.db.exec(`CREATE TEMP TRIGGER refuse_claimed BEFORE INSERT ON task_events WHEN NEW.kind = 'claimed'
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
    const made = await h.engine.create({ title: 'Long report', description: 'Write the long report, with reasons.' })
    if (!made.ok) throw new Error('not created')
    const id = made.task.id
    h.engine.start()
    await until(() => h.records.some((r) => r.msg === 'task queue commit failed'), 'a group to be refused')
    expect(held.runs).toBe(1)
    h.db.exec('DROP TRIGGER refuse_claimed')
    await until(() => h.events.some((e) => e.taskId === id && e.kind === 'claimed'), 'the claim to be announced')
    held.answer(GOOD_ANSWER)
    await until(() => h.engine.store.get(id)?.status === 'completed', 'the task to complete')
    expect(h.engine.store.events(id).map((e) => [e.kind, e.message])).toEqual(CLAIMED_THEN_COMPLETED)
  })
})
