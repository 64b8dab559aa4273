import { afterEach, describe, expect, it } from 'vitest'
import type { BackendLimits } from '../ports/backend-limits'
import { GOOD_ANSWER, scriptedProcessor } from '../tasks/testing/scripted-processor'
import { testEngine, until } from '../tasks/testing/test-engine'
import type { TasksEngine } from '../tasks/tasks-engine'
import { useTempDirs } from '../test-support/temp-dir'
import { batchingProcessor } from './batching-processor'

/** Answers a batch prompt block by block, a single task with its title: each answer long enough for the engine's checks. */
const answer = (title: string, description: string): string => {
  const asked = [...description.matchAll(/^Task (\d+): (.*)$/gm)]
  if (asked.length === 0) return `${title}: ${GOOD_ANSWER}`
  return asked.map((m) => `[RESULT_${m[1]}]${m[2]}: ${GOOD_ANSWER}[/RESULT_${m[1]}]`).join('\n')
}

describe('batching through the real pool on an MLX node capped at one call', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  async function run(batching: boolean) {
    const model = scriptedProcessor((task) => ({
      kind: 'answer',
      text: answer(task.title, task.description),
      delayMs: 30
    }))
    const processor = batchingProcessor(model, {
      settings: () => ({ enabled: batching, maxTasks: 5, maxTaskTokens: 300, maxBatchTokens: 1_500, windowMs: 50 })
    })
    const limits: BackendLimits = {
      of: () => ({ heavy: 1, total: 1 }),
      capacity: () => 1,
      tasksPerCall: () => (batching ? 5 : 1)
    }
    const { engine } = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 4 }, { backendLimits: limits })
    engines.push(engine)
    const ids: string[] = []
    for (const term of ['EBITDA', 'ROI', 'CAPEX', 'OPEX', 'WACC']) {
      const created = await engine.create({
        title: `Define ${term}`,
        description: 'One sentence.',
        domain: 'finance',
        preferredBackend: 'mlx-local'
      })
      if (!created.ok) throw new Error('not created')
      ids.push(created.task.id)
    }
    engine.start()
    await until(() => ids.every((id) => engine.store.get(id)?.status === 'completed'), 'every task')
    const results = ids.map((id) => engine.store.get(id)?.result)
    return { model, results, stats: processor.stats() }
  }

  it('answers 5 small tasks with one model call, never two calls at once, each task with its own result', async () => {
    const { model, results, stats } = await run(true)
    expect(model.calls).toHaveLength(1)
    expect(model.maxActive).toBe(1)
    expect(stats).toMatchObject({ calls: 1, batches: 1, batchedTasks: 5, fallbacks: 0 })
    expect(results).toEqual(['EBITDA', 'ROI', 'CAPEX', 'OPEX', 'WACC'].map((t) => `Define ${t}: ${GOOD_ANSWER}`))
  })

  it('without batching makes one call per task, still one at a time', async () => {
    const { model } = await run(false)
    expect(model.calls).toHaveLength(5)
    expect(model.maxActive).toBe(1)
  })
})
