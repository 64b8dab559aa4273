import { afterEach, describe, expect, it } from 'vitest'
import { ProcessingError } from '../ports/task-processor'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor, sleep, type Step } from './testing/scripted-processor'
import { createWalSync } from '../db/wal-sync'
import { createTaskStore } from './task-store'
import { migratedDb, testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'

const task = (title: string, extra: Record<string, string> = {}) => ({
  title,
  description: `Please work on: ${title}. Give a full answer with reasons.`,
  ...extra
})

describe('tasks engine', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  function start(script: (title: string, attempt: number) => Step, overrides: Parameters<typeof testEngine>[2] = {}) {
    const processor = scriptedProcessor((t, attempt) => script(t.title, attempt))
    const harness = testEngine(tempDir(), processor, overrides)
    engines.push(harness.engine)
    harness.engine.start()
    return { ...harness, processor }
  }

  async function create(engine: TasksEngine, title: string, extra: Record<string, string> = {}): Promise<string> {
    const outcome = await engine.create(task(title, extra))
    if (!outcome.ok) throw new Error(`not created: ${outcome.reason}`)
    return outcome.task.id
  }

  it('completes a task and pushes created → claimed → progress → completed after commit', async () => {
    const { engine, events } = start(() => ({ kind: 'answer', text: GOOD_ANSWER }))
    const id = await create(engine, 'Write a summary')
    // Events are pushed once their group is flushed to disk, a moment after the row reads as committed.
    await until(() => events.some((e) => e.taskId === id && e.kind === 'completed'), 'the completed event')
    expect(events.filter((e) => e.taskId === id).map((e) => e.kind)).toEqual([
      'created',
      'claimed',
      'progress',
      'completed'
    ])
    expect(engine.store.events(id).map((e) => e.seq)).toEqual(events.filter((e) => e.taskId === id).map((e) => e.seq))
    expect(engine.store.get(id)).toMatchObject({ result: GOOD_ANSWER, attemptCount: 1, leaseOwner: null })
    expect(engine.store.counters().latency).toHaveLength(1)
  })

  it('is a continuous pool: a freed slot takes the next task while a slow one still runs', async () => {
    const { engine, processor } = start(
      (title) => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: title === 'slow' ? 600 : 20 }),
      { 'worker.maxConcurrency': 2 }
    )
    const slow = await create(engine, 'slow')
    const quick = [
      await create(engine, 'quick one'),
      await create(engine, 'quick two'),
      await create(engine, 'quick three')
    ]
    await until(() => quick.every((id) => engine.store.get(id)?.status === 'completed'), 'the quick tasks')
    expect(engine.store.get(slow)?.status).toBe('in_progress')
    expect(processor.maxActive).toBe(2)
    await until(() => engine.store.get(slow)?.status === 'completed', 'the slow task')
  })

  it('leaves tasks pending, their attempts untouched, while no backend can take them', async () => {
    let up = false
    const base = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER }))
    const processor = {
      ...base,
      plan: (t: Parameters<typeof base.plan>[0]) => {
        if (!up) throw new ProcessingError('connection_error', 'No model server that could run this task is up.')
        return base.plan(t)
      }
    }
    const harness = testEngine(tempDir(), processor)
    engines.push(harness.engine)
    harness.engine.start()
    const id = await create(harness.engine, 'Waits for a backend')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(harness.engine.store.get(id)).toMatchObject({ status: 'pending', attemptCount: 0 })
    up = true
    await until(() => harness.engine.store.get(id)?.status === 'completed', 'the task once a backend is up')
  })

  it('sends no request to a model until it is ready, then does not ask again for the tasks right after', async () => {
    const calls: string[] = []
    let loaded: () => void = () => undefined
    const base = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER }))
    const processor = {
      ...base,
      ensureReady: async () => {
        calls.push('ensureReady')
        await new Promise<void>((resolve) => (loaded = resolve))
      },
      process: (...args: Parameters<typeof base.process>) => {
        calls.push('process')
        return base.process(...args)
      }
    }
    const harness = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 1 })
    engines.push(harness.engine)
    harness.engine.start()
    const ids = [
      await create(harness.engine, 'First of three'),
      await create(harness.engine, 'Second of three'),
      await create(harness.engine, 'Third of three')
    ]
    await until(() => calls.length > 0, 'the readiness check')
    await sleep(100)
    expect(calls).toEqual(['ensureReady'])
    loaded()
    await until(() => ids.every((id) => harness.engine.store.get(id)?.status === 'completed'), 'all three tasks')
    expect(calls).toEqual(['ensureReady', 'process', 'process', 'process'])
  })

  it('does not stop a run because a lease its task had before was reclaimed: the reclaim is acknowledged after its flush, when the task may run again', async () => {
    const dir = tempDir()
    const db = migratedDb(dir)
    const id = (() => {
      const seed = createTaskStore(db)
      const outcome = seed.create({
        title: 'Held by a dead process',
        description: 'Was running when its process died.',
        domain: null,
        priority: 'normal',
        assigneeExpert: null,
        parentTaskId: null,
        preferredBackend: null,
        preferredModel: null,
        metadata: {},
        batchGroup: null,
        dedupKey: 'dead'
      })
      if (!outcome.ok) throw new Error('not created')
      seed.claim(outcome.task.id, 'gone-host:1:dead', 'test', 'echo', 3, [])
      return outcome.task.id
    })()
    let releaseFirstFlush: () => void = () => undefined
    let held = false
    const wal = createWalSync(db, (_fd, done) => {
      if (held) return void setImmediate(() => done(null))
      held = true
      releaseFirstFlush = () => done(null)
    })
    const processor = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 300 }))
    const harness = testEngine(dir, processor, {}, { db, wal })
    engines.push(harness.engine)
    harness.engine.start()
    await until(() => processor.calls.length === 1, 'the task running again')
    releaseFirstFlush()
    await until(() => harness.engine.store.get(id)?.status === 'completed', 'the task completed by its new run', 3_000)
  })

  it('commits creates made together as one group: one flush for all, none answered before it, a duplicate within the group refused', async () => {
    const dir = tempDir()
    const db = migratedDb(dir)
    let flushes = 0
    let release: () => void = () => undefined
    const wal = createWalSync(db, (_fd, done) => {
      if (++flushes > 1) return void setImmediate(() => done(null))
      release = () => done(null)
    })
    const harness = testEngine(dir, null, {}, { db, wal })
    engines.push(harness.engine)
    const answered: string[] = []
    const creates = ['First of the batch', 'Second of the batch', 'first of the BATCH'].map((title) =>
      harness.engine.create(task(title)).then((outcome) => {
        answered.push(title)
        return outcome
      })
    )
    await until(() => flushes === 1, 'the group waiting for its flush')
    expect(answered).toEqual([])
    expect(harness.events).toEqual([])
    release()
    const [first, second, again] = await Promise.all(creates)
    expect(flushes).toBe(1)
    expect(first?.ok && second?.ok).toBe(true)
    expect(again).toMatchObject({ ok: false, reason: 'duplicate', existingId: first?.ok ? first.task.id : '' })
    expect(harness.events.map((e) => e.kind)).toEqual(['created', 'created'])
  })

  it('pauses autoprocessing: a running task finishes, nothing new starts until resumed', async () => {
    const { engine } = start(
      (title) => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: title === 'running' ? 300 : 10 }),
      { 'worker.maxConcurrency': 2 }
    )
    const first = await create(engine, 'running')
    await until(() => engine.store.get(first)?.status === 'in_progress', 'the first task to start')
    engine.setPaused(true)
    const waiting = await create(engine, 'waiting')
    await until(() => engine.store.get(first)?.status === 'completed', 'the running task to finish')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(engine.store.get(waiting)?.status).toBe('pending')
    expect(engine.state()).toMatchObject({ paused: true })
    engine.setPaused(false)
    await until(() => engine.store.get(waiting)?.status === 'completed', 'the waiting task after resume')
  })

  it.each([
    ['an empty answer', { kind: 'empty' }, 'empty_or_short_response'],
    ['an echo of the prompt', { kind: 'echo' }, 'validation_failed'],
    [
      'an error dressed as an answer',
      { kind: 'answer', text: 'Error: model unavailable, try again later' },
      'validation_failed'
    ],
    ['a refused connection', { kind: 'throw', message: 'connect ECONNREFUSED 127.0.0.1:11434' }, 'connection_error'],
    ['a classified OOM', { kind: 'fail', type: 'oom_or_metal', message: 'Metal out of memory' }, 'oom_or_metal']
  ] as const)(
    'retries %s and defers to manual review after max attempts with its error type',
    async (_name, step, type) => {
      const { engine, events } = start(() => step as Step, { 'worker.maxAttempts': 3 })
      const id = await create(engine, 'Doomed task')
      await until(() => events.some((e) => e.taskId === id && e.kind === 'deferred'), 'the deferred event')
      const stored = engine.store.get(id)
      expect(stored).toMatchObject({ attemptCount: 3, errorType: type })
      expect(stored?.lastError).toBeTruthy()
      expect(events.filter((e) => e.taskId === id && e.kind === 'failed')).toHaveLength(3)
      expect(engine.store.counters().deferredByErrorType[type]).toBe(1)
    }
  )

  it('returns a deferred task to autoprocessing; it then completes and keeps its error history', async () => {
    let healthy = false
    const { engine } = start(() => (healthy ? { kind: 'answer', text: GOOD_ANSWER } : { kind: 'empty' }), {
      'worker.maxAttempts': 2
    })
    const id = await create(engine, 'Flaky task')
    await until(() => engine.store.get(id)?.status === 'deferred_to_human', 'manual review')
    healthy = true
    expect(await engine.requeue([id])).toEqual([id])
    await until(() => engine.store.get(id)?.status === 'completed', 'completion after return')
    const kinds = engine.store.events(id).map((e) => e.kind)
    expect(kinds.filter((k) => k === 'failed')).toHaveLength(2)
    expect(kinds.slice(-4)).toEqual(['requeued', 'claimed', 'progress', 'completed'])
    expect(kinds).toContain('deferred')
  })

  it('times out a hung call, frees its slot, and classifies the failure as timeout', async () => {
    const { engine } = start(
      (title) => (title === 'hangs' ? { kind: 'hang' } : { kind: 'answer', text: GOOD_ANSWER }),
      {
        'worker.maxConcurrency': 1,
        'worker.maxAttempts': 1,
        'llm.requestTimeoutSec': 0.2
      }
    )
    const hung = await create(engine, 'hangs')
    const next = await create(engine, 'after the hang')
    await until(() => engine.store.get(next)?.status === 'completed', 'the next task through the freed slot')
    expect(engine.store.get(hung)).toMatchObject({ status: 'deferred_to_human', errorType: 'timeout' })
  })

  it('keeps heartbeats going while a call is in flight and the processor never yields a result', async () => {
    const { engine, db } = start(() => ({ kind: 'hang' }), {
      'worker.heartbeatSec': 0.03,
      'llm.requestTimeoutSec': 60,
      'worker.shutdownDeadlineSec': 0.05
    })
    const id = await create(engine, 'blocked call')
    await until(() => engine.store.get(id)?.status === 'in_progress', 'the claim')
    const seen = new Set<string>()
    const read = (): string | null =>
      (db.prepare('SELECT heartbeat_at FROM tasks WHERE id = ?').get(id) as { heartbeat_at: string | null })
        .heartbeat_at
    await until(() => {
      const at = read()
      if (at) seen.add(at)
      return seen.size >= 5
    }, 'five distinct heartbeats')
    expect(engine.store.get(id)?.status).toBe('in_progress')
  })

  it('on shutdown stops claiming, lets a short task finish, and releases a long one for the next start', async () => {
    const { engine, events } = start(
      (title) => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: title === 'long' ? 5_000 : 100 }),
      {
        'worker.maxConcurrency': 2,
        'worker.shutdownDeadlineSec': 0.4
      }
    )
    const long = await create(engine, 'long')
    const short = await create(engine, 'short')
    await until(
      () => engine.store.get(long)?.status === 'in_progress' && engine.store.get(short)?.status === 'in_progress',
      'both running'
    )
    const waiting = await create(engine, 'waiting')
    await sleep(30)
    await engine.stop()
    engines.splice(engines.indexOf(engine), 1)
    expect(engine.store.get(short)?.status).toBe('completed')
    expect(engine.store.get(long)).toMatchObject({ status: 'pending', attemptCount: 0, leaseOwner: null })
    expect(engine.store.get(waiting)?.status).toBe('pending')
    expect(events.filter((e) => e.taskId === long).map((e) => e.kind)).toEqual(['created', 'claimed', 'requeued'])
  })

  it('cancels a running task: the call is aborted and its late answer is ignored', async () => {
    const { engine } = start(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 300 }))
    const id = await create(engine, 'to cancel')
    await until(() => engine.store.get(id)?.status === 'in_progress', 'the claim')
    expect((await engine.cancel(id))?.status).toBe('cancelled')
    await sleep(400)
    expect(engine.store.get(id)).toMatchObject({ status: 'cancelled', result: null })
  })

  it('runs urgent work before older normal work', async () => {
    const processor = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER }))
    const { engine } = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 1 })
    engines.push(engine)
    const normal = await create(engine, 'normal work')
    const urgent = await create(engine, 'urgent work', { priority: 'urgent' })
    engine.start()
    await until(() => engine.store.get(normal)?.status === 'completed', 'both')
    expect(processor.calls.map((c) => c.taskId)).toEqual([urgent, normal])
  })

  it('without a processor claims nothing; tasks wait as pending until one is connected', async () => {
    const harness = testEngine(tempDir(), null)
    engines.push(harness.engine)
    harness.engine.start()
    const id = await create(harness.engine, 'waiting for a model')
    await sleep(100)
    expect(harness.engine.state()).toMatchObject({ processorConnected: false, running: 0 })
    expect(harness.engine.store.get(id)?.status).toBe('pending')
    harness.engine.setProcessor(scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER })))
    await until(() => harness.engine.store.get(id)?.status === 'completed', 'completion once connected')
  })

  it('refuses a duplicate regardless of case and spacing, for the same expert only', async () => {
    const harness = testEngine(tempDir(), null)
    engines.push(harness.engine)
    const first = await harness.engine.create({
      title: 'Plan  the launch',
      description: 'Write the launch plan for March.',
      assigneeExpert: 'pm'
    })
    if (!first.ok) throw new Error('not created')
    const again = await harness.engine.create({
      title: 'plan the LAUNCH',
      description: 'Write the launch   plan for March. ',
      assigneeExpert: 'pm'
    })
    expect(again).toMatchObject({ ok: false, reason: 'duplicate', existingId: first.task.id })
    expect(
      (
        await harness.engine.create({
          title: 'Plan the launch',
          description: 'Write the launch plan for March.',
          assigneeExpert: 'cfo'
        })
      ).ok
    ).toBe(true)
  })
})

describe('tasks engine: concurrency', () => {
  const tempDir = useTempDirs()

  it('computes its first concurrency from real inputs, logs one line per cycle and pushes the values', async () => {
    const harness = testEngine(
      tempDir(),
      scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER })),
      { 'worker.maxConcurrency': 6 },
      { cycleMs: 20 }
    )
    expect(harness.engine.state().concurrency).toMatchObject({
      effective: 6,
      ceiling: 6,
      cpuLoad: 0.2,
      freeMemoryRatio: 0.5
    })
    expect(harness.engine.state().concurrency.reason).not.toMatch(/fallback/)
    harness.engine.start()
    await until(() => harness.concurrency.length >= 3, 'three cycles')
    await harness.engine.stop()
    const lines = harness.records.filter((r) => r.msg === 'concurrency cycle')
    expect(lines.length).toBeGreaterThanOrEqual(3)
    expect(lines[0]).toMatchObject({ n: 6, ceiling: 6, cpu_load: 0.2, free_memory: 0.5 })
  })
})
