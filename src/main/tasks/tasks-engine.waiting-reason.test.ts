import { afterEach, describe, expect, it } from 'vitest'
import { ProcessingError } from '../ports/task-processor'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'

const PARENT_WAITS = '“Parent” waits for its subtasks (1 of 1 still to do).'

describe('tasks engine: why pending tasks wait', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  const releases: (() => void)[] = []
  afterEach(async () => {
    for (const release of releases.splice(0)) release()
    for (const e of engines.splice(0)) await e.stop()
  })

  it('keeps no earlier reason while every slot is busy: the pending tasks then wait for a slot, not for it', async () => {
    let longRunning = false
    let release = (): void => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const base = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 1 }))
    const processor = {
      ...base,
      plan: (task: Parameters<typeof base.plan>[0]) => {
        if (task.title === 'Parent') throw new ProcessingError('other', PARENT_WAITS, { blame: 'backend' })
        return base.plan(task)
      },
      process: async (...args: Parameters<typeof base.process>) => {
        if (args[0].title === 'Long') {
          longRunning = true
          await held
        }
        return base.process(...args)
      }
    }
    const { engine, config } = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 2 }, { cycleMs: 20 })
    engines.push(engine)
    releases.push(() => release())
    engine.start()
    const create = async (title: string): Promise<string> => {
      const made = await engine.create({ title, description: `Please work on ${title}, with reasons.` })
      if (!made.ok) throw new Error(`${title} not created`)
      return made.task.id
    }
    await create('Parent')
    await create('Long')
    // A slot is free and the only pending task cannot be planned: that is why it waits.
    await until(() => engine.state().waiting === PARENT_WAITS && longRunning, 'the parent’s reason, Long running')

    // Concurrency drops to 1 (as it does under load) while Long holds the slot, and a plannable task arrives.
    config.set('worker.maxConcurrency', 1)
    await until(() => engine.state().concurrency.effective === 1, 'concurrency to follow the setting')
    const next = await create('Next')
    await until(() => engine.state().waiting === null, 'the old reason to go once every slot is busy')
    expect(engine.store.get(next)?.status).toBe('pending')

    release()
    await until(() => engine.store.get(next)?.status === 'completed', 'Next to run once Long frees the slot')
  })
})
