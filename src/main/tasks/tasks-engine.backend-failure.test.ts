import { afterEach, describe, expect, it } from 'vitest'
import { ProcessingError } from '../ports/task-processor'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'

const REASON = 'circuit open — test: 500 on 8 of the last 8 generations since 14:02'

describe('tasks engine: a backend that fails every request', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('puts the tasks back without counting attempts, says why they wait, and completes them once the backend recovers', async () => {
    let circuitOpen = false
    let failing = true
    const base = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 5 }))
    const processor = {
      ...base,
      // The router stops planning on an open circuit: the tasks then wait unplanned, with its reason.
      plan: (task: Parameters<typeof base.plan>[0]) => {
        if (circuitOpen) throw new ProcessingError('server_error', REASON, { blame: 'backend', retryAfterMs: 30_000 })
        return base.plan(task)
      },
      process: (...args: Parameters<typeof base.process>) => {
        if (!failing) return base.process(...args)
        circuitOpen = true
        return Promise.reject(new ProcessingError('server_error', REASON, { blame: 'backend' }))
      }
    }
    // One attempt each: a counted failure would send the task straight to manual review.
    const { engine, events } = testEngine(tempDir(), processor, { 'worker.maxAttempts': 1, 'worker.maxConcurrency': 4 })
    engines.push(engine)
    engine.start()
    const ids: string[] = []
    for (let i = 0; i < 6; i++) {
      const made = await engine.create({ title: `Task ${i}`, description: `Please work on task ${i}, with reasons.` })
      if (!made.ok) throw new Error('not created')
      ids.push(made.task.id)
    }
    await until(() => events.some((e) => e.kind === 'waiting'), 'a task put back to wait')
    await until(() => engine.state().waiting === REASON, 'the engine to say why tasks wait')
    const waited = events.filter((e) => e.kind === 'waiting')
    expect(
      waited.every(
        (e) => e.status === 'pending' && e.attempt === 0 && e.errorType === 'server_error' && e.message === REASON
      )
    ).toBe(true)
    const put = engine.store.get(waited[0]?.taskId ?? '')
    expect(put).toMatchObject({ status: 'pending', attemptCount: 0, lastError: REASON, errorType: 'server_error' })

    failing = false
    circuitOpen = false
    await until(
      () => ids.every((id) => engine.store.get(id)?.status === 'completed'),
      'every task completed after recovery'
    )
    expect(ids.map((id) => engine.store.get(id)?.attemptCount)).toEqual(ids.map(() => 1))
    expect(events.filter((e) => e.kind === 'failed' || e.kind === 'deferred')).toEqual([])
    expect(engine.state().waiting).toBeNull()
  })
})

describe('tasks engine: failures that turn out to be the backend’s', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('gives back the attempts the first echoes took once the processor says the backend echoes everything', async () => {
    let circuitOpen = false
    let echoes = 0
    const base = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 5 }))
    const ECHOING =
      'Waiting: circuit open for test (echo): echo of the prompt on 2 of the last 2 generations since 14:02.'
    const processor = {
      ...base,
      plan: (task: Parameters<typeof base.plan>[0]) => {
        if (circuitOpen) throw new ProcessingError('echo', ECHOING, { blame: 'backend', retryAfterMs: 0 })
        return base.plan(task)
      },
      process: (...args: Parameters<typeof base.process>) => {
        if (circuitOpen || echoes >= 2) return base.process(...args)
        // Before the circuit opens, an echo looks like the task's own failure: the model answered others.
        if (++echoes === 2) circuitOpen = true
        return Promise.reject(new ProcessingError('echo', 'the answer repeats the prompt'))
      }
    }
    // A failed task waits a minute for its retry: only the give-back can bring it back sooner, and without using its attempt.
    const { engine, events } = testEngine(tempDir(), processor, {
      'worker.maxAttempts': 2,
      'worker.maxConcurrency': 2,
      'worker.retryDelaySec': 60
    })
    engines.push(engine)
    engine.start()
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const made = await engine.create({ title: `Echoed ${i}`, description: `Please work on task ${i}, with reasons.` })
      if (!made.ok) throw new Error('not created')
      ids.push(made.task.id)
    }
    const echoed = (): string[] =>
      events.filter((e) => e.kind === 'failed' && e.errorType === 'echo').map((e) => e.taskId)
    await until(
      () =>
        echoed().length === 2 && echoed().every((id) => events.some((e) => e.taskId === id && e.kind === 'waiting')),
      'both echoed attempts given back'
    )
    expect(echoed().map((id) => engine.store.get(id))).toMatchObject([
      { status: 'pending', attemptCount: 0, errorType: 'echo' },
      { status: 'pending', attemptCount: 0, errorType: 'echo' }
    ])
    expect(events.find((e) => e.kind === 'waiting')?.message).toBe(`attempt given back: ${ECHOING}`)

    circuitOpen = false
    await until(
      () => ids.every((id) => engine.store.get(id)?.status === 'completed'),
      'every task completed after recovery'
    )
    expect(ids.map((id) => engine.store.get(id)?.attemptCount)).toEqual([1, 1, 1])
  })
})

describe('tasks engine: a failure blamed on the backend that hits one task alone', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('waits a few times without attempts, then counts them, so a prompt the server always fails reaches manual review instead of waiting forever', async () => {
    const base = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 5 }))
    const FAILS = 'ollama-local: 500 “llama runner process has terminated”'
    const processor = {
      ...base,
      // The backend keeps answering other tasks, so the router keeps planning this one there.
      process: (...args: Parameters<typeof base.process>) =>
        args[0].title === 'Poison prompt'
          ? Promise.reject(new ProcessingError('runner_terminated', FAILS, { blame: 'backend' }))
          : base.process(...args)
    }
    const { engine, events } = testEngine(tempDir(), processor, { 'worker.maxAttempts': 2 })
    engines.push(engine)
    engine.start()
    const made = await engine.create({
      title: 'Poison prompt',
      description: 'A prompt this server fails every time, with reasons.'
    })
    const other = await engine.create({
      title: 'Ordinary task',
      description: 'An ordinary question, answered in full.'
    })
    if (!made.ok || !other.ok) throw new Error('not created')
    // Events are pushed once their group is on disk, a moment after the row reads as changed.
    await until(
      () => events.some((e) => e.taskId === made.task.id && e.kind === 'deferred'),
      'the poison prompt in manual review'
    )
    const kinds = events
      .filter(
        (e) => e.taskId === made.task.id && (e.kind === 'waiting' || e.kind === 'failed' || e.kind === 'deferred')
      )
      .map((e) => e.kind)
    expect(kinds, JSON.stringify(kinds)).toEqual(['waiting', 'waiting', 'waiting', 'failed', 'failed', 'deferred'])
    expect(engine.store.get(made.task.id)).toMatchObject({
      attemptCount: 2,
      errorType: 'runner_terminated',
      lastError: FAILS
    })
    expect(engine.store.get(other.task.id)).toMatchObject({ status: 'completed', attemptCount: 1 })
  })
})
