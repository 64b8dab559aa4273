import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'
import { RUNS_PER_TURN } from './worker-pool'

describe('a burst of quick tasks and the event loop', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('starts at most RUNS_PER_TURN runs in one turn of the event loop, and reaches that many once tasks are quick', async () => {
    // Numbers the turns: a chain of setImmediate runs once in every turn's check phase, where the pool starts its runs.
    let turn = 0
    let ticking = true
    const tick = (): void => {
      turn++
      if (ticking) setImmediate(tick)
    }
    const startsPerTurn = new Map<number, number>()
    const processor = scriptedProcessor(() => ({ kind: 'hang' }))
    processor.process = () => {
      startsPerTurn.set(turn, (startsPerTurn.get(turn) ?? 0) + 1)
      return Promise.resolve(GOOD_ANSWER)
    }
    const h = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 8, 'worker.minConcurrency': 8 })
    engines.push(h.engine)
    const tasks = 8 * RUNS_PER_TURN
    const made = await Promise.all(
      Array.from({ length: tasks }, (_, i) => h.engine.create({ title: `Quick ${i}`, description: `quick task ${i}` }))
    )
    const ids = made.map((m) => (m.ok ? m.task.id : ''))
    tick()
    h.engine.start()
    await until(() => ids.every((id) => h.engine.store.get(id)?.status === 'completed'), 'every task completed')
    ticking = false
    const starts = [...startsPerTurn.values()]
    expect(starts.reduce((a, b) => a + b, 0)).toBe(tasks)
    expect(Math.max(...starts)).toBe(RUNS_PER_TURN)
  })
})
