import { afterEach, describe, expect, it } from 'vitest'
import { SRE_ROLE } from '../ports/person-tasks'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'

describe('tasks for a person', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('are never claimed by the worker: an urgent SRE task stays pending while the normal task after it is answered', async () => {
    const processor = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER }))
    const { engine, events } = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 1 })
    engines.push(engine)
    const create = async (title: string, extra: { priority?: 'urgent'; assigneeExpert?: string; domain?: string }) => {
      const outcome = await engine.create({ title, description: `Please work on: ${title}. Give reasons.`, ...extra })
      if (!outcome.ok) throw new Error(`not created: ${outcome.reason}`)
      return outcome.task.id
    }
    const sre = await create('SRE: task queue at risk (6 old pending)', {
      priority: 'urgent',
      assigneeExpert: SRE_ROLE,
      domain: 'sre'
    })
    const normal = await create('Write the release note', {})
    engine.start()
    await until(() => events.some((e) => e.taskId === normal && e.kind === 'completed'), 'the normal task completed')
    expect(processor.calls.map((c) => c.taskId)).toEqual([normal])
    expect(engine.store.get(sre)).toMatchObject({ status: 'pending', attemptCount: 0 })
    expect(events.filter((e) => e.taskId === sre).map((e) => e.kind)).toEqual(['created'])
  })
})
