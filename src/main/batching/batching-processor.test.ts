import { describe, expect, it } from 'vitest'
import {
  ProcessingError,
  type ProcessingContext,
  type ProcessingPlan,
  type TaskForProcessing,
  type TaskProcessor
} from '../ports/task-processor'
import { fakeTimerClock } from '../test-support/fake-timer-clock'
import { batchingProcessor, type BatchingSettings } from './batching-processor'

const PLAN: ProcessingPlan = { backend: 'ollama-local', model: 'llama3.2:3b', heavy: false }
const SETTINGS: BatchingSettings = {
  enabled: true,
  maxTasks: 4,
  maxTaskTokens: 100,
  maxBatchTokens: 1000,
  windowMs: 50
}

const task = (id: string, over: Partial<TaskForProcessing> = {}): TaskForProcessing => ({
  id,
  title: `Define ${id}`,
  description: 'One sentence.',
  domain: 'finance',
  priority: 'normal',
  assigneeExpert: null,
  preferredBackend: null,
  preferredModel: null,
  correlationId: `c-${id}`,
  ...over
})

interface Ctx extends ProcessingContext {
  readonly lines: string[]
  readonly controller: AbortController
}
const ctx = (): Ctx => {
  const lines: string[] = []
  const controller = new AbortController()
  return { lines, controller, signal: controller.signal, progress: (m) => void lines.push(m) }
}

/** What the model is asked and answers: `answer` gets each call's task (a batch arrives as one task holding the [RESULT_N] prompt). */
function model(answer: (t: TaskForProcessing) => string | Promise<string>) {
  const calls: TaskForProcessing[] = []
  const inner: TaskProcessor = {
    plan: () => PLAN,
    ensureReady: async () => undefined,
    load: () => [],
    process: async (t) => {
      calls.push(t)
      return answer(t)
    }
  }
  return { inner, calls }
}

/** Answers a batch prompt well-formed, task by task, and a single task with its title. */
const fluent = (t: TaskForProcessing): string => {
  const asked = [...t.description.matchAll(/^Task (\d+): (.*)$/gm)]
  if (asked.length === 0) return `Answer to ${t.title}`
  return asked.map((m) => `[RESULT_${m[1]}]Answer to ${m[2]}[/RESULT_${m[1]}]`).join('\n')
}

function setup(answer: (t: TaskForProcessing) => string | Promise<string>, settings: Partial<BatchingSettings> = {}) {
  const clock = fakeTimerClock(0)
  const { inner, calls } = model(answer)
  const processor = batchingProcessor(inner, {
    settings: () => ({ ...SETTINGS, ...settings }),
    setTimer: (fn, ms) => {
      const handle = clock.setTimeout(fn, ms)
      return () => clock.clearTimeout(handle)
    }
  })
  return { processor, calls, clock }
}

describe('batching processor', () => {
  it('answers small tasks of one domain and model that start together with one call, each task getting its own answer', async () => {
    const { processor, calls, clock } = setup(fluent)
    const contexts = [ctx(), ctx(), ctx()]
    const answers = ['EBITDA', 'ROI', 'CAPEX'].map((id, i) => processor.process(task(id), PLAN, contexts[i] as Ctx))
    expect(calls).toHaveLength(0)
    clock.advanceTo(50)
    expect(await Promise.all(answers)).toEqual([
      'Answer to Define EBITDA',
      'Answer to Define ROI',
      'Answer to Define CAPEX'
    ])
    expect(calls).toHaveLength(1)
    expect(calls[0]?.description).toContain('[RESULT_N] and [/RESULT_N]')
    expect(processor.stats()).toEqual({ calls: 1, batches: 1, batchedTasks: 3, fallbacks: 0 })
    contexts.forEach((c, i) =>
      expect(c.lines).toEqual([
        `Sent with 2 other small finance task(s) in one call to llama3.2:3b (batch-1, task ${i + 1}).`
      ])
    )
  })

  it('sends a task alone as it is when nothing joins it within the window', async () => {
    const { processor, calls, clock } = setup(fluent)
    const answer = processor.process(task('EBITDA'), PLAN, ctx())
    clock.advanceTo(49)
    expect(calls).toHaveLength(0)
    clock.advanceTo(50)
    expect(await answer).toBe('Answer to Define EBITDA')
    expect(calls.map((c) => c.id)).toEqual(['EBITDA'])
    expect(processor.stats().batches).toBe(0)
  })

  it('makes the call at once when the batch is full, and starts a new one for the next task', async () => {
    const { processor, calls, clock } = setup(fluent, { maxTasks: 2 })
    const full = [processor.process(task('a'), PLAN, ctx()), processor.process(task('b'), PLAN, ctx())]
    expect(await Promise.all(full)).toEqual(['Answer to Define a', 'Answer to Define b'])
    expect(calls).toHaveLength(1)
    const next = processor.process(task('c'), PLAN, ctx())
    clock.advanceTo(50)
    expect(await next).toBe('Answer to Define c')
    expect(calls).toHaveLength(2)
  })

  it('keeps the token budget of a batch: a task that would overflow it starts the next batch', async () => {
    const { processor, calls, clock } = setup(fluent, { maxBatchTokens: 10 })
    const long = 'x'.repeat(24)
    const answers = ['a', 'b', 'c'].map((id) => processor.process(task(id, { description: long }), PLAN, ctx()))
    clock.advanceTo(50)
    await Promise.all(answers)
    // Each task is about 8 tokens: no two fit under 10, so each is its own call.
    expect(calls.map((c) => c.id)).toEqual(['a', 'b', 'c'])
  })

  it('never mixes domains, experts or models, and never batches a large task or while switched off', async () => {
    const { processor, calls, clock } = setup(fluent)
    const other: ProcessingPlan = { ...PLAN, model: 'qwen2.5:7b' }
    const answers = [
      processor.process(task('a'), PLAN, ctx()),
      processor.process(task('b', { domain: 'legal' }), PLAN, ctx()),
      processor.process(task('c', { assigneeExpert: 'Anna' }), PLAN, ctx()),
      processor.process(task('d'), other, ctx()),
      processor.process(task('big', { description: 'y'.repeat(500) }), PLAN, ctx())
    ]
    expect(calls.map((c) => c.id)).toEqual(['big'])
    clock.advanceTo(50)
    await Promise.all(answers)
    expect(calls.map((c) => c.id).sort()).toEqual(['a', 'b', 'big', 'c', 'd'])

    const off = setup(fluent, { enabled: false })
    await Promise.all([off.processor.process(task('a'), PLAN, ctx()), off.processor.process(task('b'), PLAN, ctx())])
    expect(off.calls.map((c) => c.id)).toEqual(['a', 'b'])
  })

  it('asks again on their own only the tasks whose block is missing or unusable, and says why in their events', async () => {
    const { processor, calls, clock } = setup((t) =>
      t.description.includes('[RESULT_N]')
        ? '[RESULT_1]First.[/RESULT_1]\n[RESULT_3]   [/RESULT_3]\n[RESULT_4]Fourth, cut'
        : `Alone: ${t.title}`
    )
    const contexts = [ctx(), ctx(), ctx(), ctx()]
    const answers = ['a', 'b', 'c', 'd'].map((id, i) => processor.process(task(id), PLAN, contexts[i] as Ctx))
    clock.advanceTo(50)
    expect(await Promise.all(answers)).toEqual(['First.', 'Alone: Define b', 'Alone: Define c', 'Alone: Define d'])
    expect(calls.map((c) => c.id)).toEqual(['a+3', 'b', 'c', 'd'])
    expect(contexts[0]?.lines).toHaveLength(1)
    expect(contexts[1]?.lines.at(-1)).toBe("Asked on its own: the batch answer's block for it was missing.")
    expect(contexts[2]?.lines.at(-1)).toBe("Asked on its own: the batch answer's block for it was empty.")
    expect(contexts[3]?.lines.at(-1)).toBe("Asked on its own: the batch answer's block for it was unclosed.")
    expect(processor.stats()).toEqual({ calls: 4, batches: 1, batchedTasks: 4, fallbacks: 3 })
  })

  it("fails every task of the batch with the backend's failure, asking none again, so the engine defers them without attempts", async () => {
    const down = new ProcessingError('server_error', 'ollama-local: 500 on 8 of the last 8 generations', {
      blame: 'backend',
      retryAfterMs: 30_000
    })
    const { processor, calls, clock } = setup(() => Promise.reject(down))
    const answers = ['a', 'b'].map((id) => processor.process(task(id), PLAN, ctx()))
    clock.advanceTo(50)
    for (const a of answers) await expect(a).rejects.toBe(down)
    expect(calls).toHaveLength(1)
  })

  it('asks every task on its own when the batch call fails on its own account (an echo, a timeout of the call)', async () => {
    const { processor, calls, clock } = setup((t) => {
      if (t.description.includes('[RESULT_N]')) throw new ProcessingError('echo', 'the model echoed the prompt')
      return `Alone: ${t.title}`
    })
    const c = ctx()
    const answers = [processor.process(task('a'), PLAN, c), processor.process(task('b'), PLAN, ctx())]
    clock.advanceTo(50)
    expect(await Promise.all(answers)).toEqual(['Alone: Define a', 'Alone: Define b'])
    expect(calls).toHaveLength(3)
    expect(c.lines.at(-1)).toBe('Asked on its own: the batch call failed (the model echoed the prompt).')
  })

  it('leaves out a task stopped while it waited, and abandons the call only when every task in it is stopped', async () => {
    const { processor, calls, clock } = setup(fluent)
    const [a, b, c] = [ctx(), ctx(), ctx()]
    const answers = [
      processor.process(task('a'), PLAN, a),
      processor.process(task('b'), PLAN, b),
      processor.process(task('c'), PLAN, c)
    ]
    a.controller.abort(new Error('cancelled'))
    clock.advanceTo(50)
    await expect(answers[0]).rejects.toThrow('cancelled')
    expect(await answers[1]).toBe('Answer to Define b')
    expect(await answers[2]).toBe('Answer to Define c')
    expect(calls[0]?.description).not.toContain('Define a')

    const seen: AbortSignal[] = []
    const { inner: hanging } = model(() => new Promise<string>(() => undefined))
    const clock2 = fakeTimerClock(0)
    const spying = batchingProcessor(
      { ...hanging, process: (t, p, x) => (seen.push(x.signal), hanging.process(t, p, x)) },
      {
        settings: () => SETTINGS,
        setTimer: (fn, ms) =>
          (
            (h) => () =>
              clock2.clearTimeout(h)
          )(clock2.setTimeout(fn, ms))
      }
    )
    const [d, e] = [ctx(), ctx()]
    void spying.process(task('d'), PLAN, d)
    void spying.process(task('e'), PLAN, e)
    clock2.advanceTo(50)
    d.controller.abort(new Error('timeout'))
    expect(seen[0]?.aborted).toBe(false)
    e.controller.abort(new Error('timeout'))
    expect(seen[0]?.aborted).toBe(true)
  })
})
