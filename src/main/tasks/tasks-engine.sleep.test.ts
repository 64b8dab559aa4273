import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'

describe('tasks engine across a sleep of the machine', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('fails no run for time spent asleep: deadlines stand still with the monotonic clock, and resume renews the leases before any sweep judges them', async () => {
    const wall = { t: Date.now() }
    const mono = { t: 0 }
    let answer: (text: string) => void = () => undefined
    const processor = scriptedProcessor(() => ({ kind: 'hang' }))
    processor.process = () => new Promise<string>((resolve) => (answer = resolve))
    const { engine } = testEngine(
      tempDir(),
      processor,
      { 'llm.requestTimeoutSec': 60, 'worker.stuckMinutes': 1 },
      { now: () => wall.t, monotonic: () => mono.t }
    )
    engines.push(engine)
    engine.start()
    const made = await engine.create({ title: 'Long report', description: 'Write the long report, with reasons.' })
    if (!made.ok) throw new Error('not created')
    const id = made.task.id
    await until(() => engine.store.get(id)?.status === 'in_progress', 'the task to start')

    // Two minutes asleep: the wall clock jumps past both the request timeout and the stuck limit; the monotonic clock does not move.
    wall.t += 120_000
    await engine.resume()
    expect(engine.store.reclaimLapsed(engine.owner, wall.t - 60_000, 3, [])).toEqual([])
    answer(GOOD_ANSWER)
    await until(() => engine.store.get(id)?.status === 'completed', 'the task to complete')
    expect(engine.store.get(id)).toMatchObject({ attemptCount: 1, errorType: null })
    expect(engine.store.events(id).map((e) => e.kind)).toEqual(['created', 'claimed', 'completed'])
  })
})
