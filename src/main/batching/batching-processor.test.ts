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

/** The plan of a task the scheduler picked into shared call `id` with `tasks` tasks. */
const shared = (tasks: number, id = 'call-1'): ProcessingPlan => ({ ...PLAN, call: { id, tasks } })

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
  it('marks small tasks batchable by node, model, domain and expert, and leaves large ones and everything while off alone', () => {
    const { processor } = setup(fluent)
    const key = (t: TaskForProcessing): string | undefined => processor.plan(t).batch?.key
    const a = processor.plan(task('a'))
    expect(a).toMatchObject({ ...PLAN, batch: { tokens: 6, maxTasks: 4, maxTokens: 1000 } })
    expect(key(task('b'))).toBe(a.batch?.key)
    expect(
      new Set([key(task('a')), key(task('c', { domain: 'legal' })), key(task('d', { assigneeExpert: 'Anna' }))]).size
    ).toBe(3)
    expect(processor.plan(task('big', { description: 'y'.repeat(500) })).batch).toBeUndefined()
    expect(setup(fluent, { enabled: false }).processor.plan(task('a')).batch).toBeUndefined()
  })

  it('answers the tasks of one shared call with one model call once they have all started, each task getting its own answer', async () => {
    const { processor, calls } = setup(fluent)
    const contexts = [ctx(), ctx(), ctx()]
    const answers = ['EBITDA', 'ROI', 'CAPEX'].map((id, i) =>
      processor.process(task(id), shared(3), contexts[i] as Ctx)
    )
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

  it('sends a task picked alone at once, without waiting for anyone', async () => {
    const { processor, calls } = setup(fluent)
    expect(await processor.process(task('EBITDA'), PLAN, ctx())).toBe('Answer to Define EBITDA')
    expect(calls.map((c) => c.id)).toEqual(['EBITDA'])
    expect(processor.stats().batches).toBe(0)
  })

  it('sends without a task that has not started when the window closes, and asks that one after the batch call ends', async () => {
    let finish: (text: string) => void = () => undefined
    const { processor, calls, clock } = setup((t) =>
      t.description.includes('[RESULT_N]') ? new Promise<string>((r) => (finish = r)) : `Alone: ${t.title}`
    )
    const early = ['a', 'b'].map((id) => processor.process(task(id), shared(3), ctx()))
    clock.advanceTo(49)
    expect(calls).toHaveLength(0)
    clock.advanceTo(50)
    expect(calls.map((c) => c.id)).toEqual(['a+1'])
    const late = processor.process(task('c'), shared(3), ctx())
    clock.advanceTo(100)
    await Promise.resolve()
    expect(calls).toHaveLength(1)
    finish('[RESULT_1]A.[/RESULT_1]\n[RESULT_2]B.[/RESULT_2]')
    expect(await Promise.all(early)).toEqual(['A.', 'B.'])
    expect(await late).toBe('Alone: Define c')
    expect(calls.map((c) => c.id)).toEqual(['a+1', 'c'])
  })

  it('asks again on their own, one at a time, only the tasks whose block is missing or unusable, and says why in their events', async () => {
    let inFlight = 0
    let peak = 0
    const { processor, calls } = setup(async (t) => {
      peak = Math.max(peak, ++inFlight)
      await Promise.resolve()
      inFlight--
      return t.description.includes('[RESULT_N]')
        ? '[RESULT_1]First.[/RESULT_1]\n[RESULT_3]   [/RESULT_3]\n[RESULT_4]Fourth, cut'
        : `Alone: ${t.title}`
    })
    const contexts = [ctx(), ctx(), ctx(), ctx()]
    const answers = ['a', 'b', 'c', 'd'].map((id, i) => processor.process(task(id), shared(4), contexts[i] as Ctx))
    expect(await Promise.all(answers)).toEqual(['First.', 'Alone: Define b', 'Alone: Define c', 'Alone: Define d'])
    expect(calls.map((c) => c.id)).toEqual(['a+3', 'b', 'c', 'd'])
    expect(peak).toBe(1)
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
    const { processor, calls } = setup(() => Promise.reject(down))
    const answers = ['a', 'b'].map((id) => processor.process(task(id), shared(2), ctx()))
    for (const a of answers) await expect(a).rejects.toBe(down)
    expect(calls).toHaveLength(1)
  })

  it('asks every task on its own when the batch call fails on its own account (an echo, a timeout of the call)', async () => {
    const { processor, calls } = setup((t) => {
      if (t.description.includes('[RESULT_N]')) throw new ProcessingError('echo', 'the model echoed the prompt')
      return `Alone: ${t.title}`
    })
    const c = ctx()
    const answers = [processor.process(task('a'), shared(2), c), processor.process(task('b'), shared(2), ctx())]
    expect(await Promise.all(answers)).toEqual(['Alone: Define a', 'Alone: Define b'])
    expect(calls).toHaveLength(3)
    expect(c.lines.at(-1)).toBe('Asked on its own: the batch call failed (the model echoed the prompt).')
  })

  it('leaves out a task stopped while it waited, and abandons the call only when every task in it is stopped', async () => {
    const { processor, calls } = setup(fluent)
    const [a, b, c] = [ctx(), ctx(), ctx()]
    a.controller.abort(new Error('cancelled'))
    const answers = [
      processor.process(task('a'), shared(3), a),
      processor.process(task('b'), shared(3), b),
      processor.process(task('c'), shared(3), c)
    ]
    await expect(answers[0]).rejects.toThrow('cancelled')
    expect(await answers[1]).toBe('Answer to Define b')
    expect(await answers[2]).toBe('Answer to Define c')
    expect(calls[0]?.description).not.toContain('Define a')

    const seen: AbortSignal[] = []
    const { inner: hanging } = model(() => new Promise<string>(() => undefined))
    const spying = batchingProcessor(
      { ...hanging, process: (t, p, x) => (seen.push(x.signal), hanging.process(t, p, x)) },
      { settings: () => SETTINGS }
    )
    const [d, e] = [ctx(), ctx()]
    void spying.process(task('d'), shared(2, 'call-9'), d)
    void spying.process(task('e'), shared(2, 'call-9'), e)
    await Promise.resolve()
    d.controller.abort(new Error('timeout'))
    expect(seen[0]?.aborted).toBe(false)
    e.controller.abort(new Error('timeout'))
    expect(seen[0]?.aborted).toBe(true)
  })
})
