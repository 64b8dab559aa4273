import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ProcessingError,
  type ProcessingPlan,
  type TaskForProcessing,
  type TaskProcessor
} from '../ports/task-processor'
import { callsOf, pickTasks, schedulerMemory, type SchedulableTask } from '../tasks/scheduler'
import { fakeTimerClock } from '../test-support/fake-timer-clock'
import { batchingProcessor } from './batching-processor'

type Ending = 'answer' | 'first-block-only' | 'echo' | 'backend-down'

interface Call {
  readonly backend: string
  readonly task: TaskForProcessing
  readonly end: (how: Ending) => void
}

interface Run {
  readonly item: number
  readonly plan: ProcessingPlan
  started: boolean
  settled: boolean
}

const round = fc.record({
  arrivals: fc.array(
    fc.record({ node: fc.nat(), domain: fc.constantFrom('finance', 'legal'), chars: fc.integer({ min: 0, max: 400 }) }),
    { maxLength: 8 }
  ),
  // Calls answered this round, by index among those in flight, and how.
  endings: fc.array(
    fc.record({ at: fc.nat(), how: fc.constantFrom<Ending>('answer', 'first-block-only', 'echo', 'backend-down') }),
    { maxLength: 4 }
  ),
  // Picks that start only next round (their model was loading): the window sends their call without them.
  late: fc.array(fc.boolean(), { maxLength: 8 })
})

/** Drains every promise callback queued, without waiting on time. */
const settleAll = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('batched tasks through the scheduler and the batching processor (property)', () => {
  it('never has more model calls in flight on a node than its cap, batches, fallbacks and late tasks included, and answers every task', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.record({ maxTasks: fc.integer({ min: 2, max: 5 }), maxBatchTokens: fc.integer({ min: 30, max: 200 }) }),
        fc.array(round, { minLength: 1, maxLength: 12 }),
        async (caps, concurrency, sizes, rounds) => {
          const clock = fakeTimerClock(0)
          const inFlight = new Map<string, number>()
          const calls: Call[] = []
          let peakOver = 0
          const inner: TaskProcessor = {
            plan: (task) => ({ backend: task.preferredBackend as string, model: 'm', heavy: false }),
            ensureReady: async () => undefined,
            load: () => [],
            process: (task, plan) =>
              new Promise<string>((resolve, reject) => {
                const now = (inFlight.get(plan.backend) ?? 0) + 1
                inFlight.set(plan.backend, now)
                peakOver = Math.max(peakOver, now - (caps[Number(plan.backend.slice(5))] as number))
                calls.push({
                  backend: plan.backend,
                  task,
                  end: (how) => {
                    inFlight.set(plan.backend, (inFlight.get(plan.backend) ?? 1) - 1)
                    const asked = [...task.description.matchAll(/^Task (\d+): (.*)$/gm)]
                    if (how === 'echo') return reject(new ProcessingError('echo', 'echoed'))
                    if (how === 'backend-down')
                      return reject(new ProcessingError('server_error', '500', { blame: 'backend' }))
                    if (asked.length === 0) return resolve(`Answer to ${task.title}`)
                    const blocks = how === 'first-block-only' ? asked.slice(0, 1) : asked
                    resolve(blocks.map((m) => `[RESULT_${m[1]}]Answer to ${m[2]}[/RESULT_${m[1]}]`).join('\n'))
                  }
                })
              })
          }
          const processor = batchingProcessor(inner, {
            settings: () => ({ enabled: true, maxTaskTokens: 40, windowMs: 50, ...sizes }),
            setTimer: (fn, ms) => {
              const handle = clock.setTimeout(fn, ms)
              return () => clock.clearTimeout(handle)
            }
          })
          const limits = { heavyPerBackend: 1, of: (b: string) => ({ heavy: 1, total: caps[Number(b.slice(5))] ?? 1 }) }
          const memory = schedulerMemory()
          const tasks = new Map<number, TaskForProcessing>()
          let waiting: SchedulableTask<number>[] = []
          const runs: Run[] = []
          const start = (run: Run): void => {
            run.started = true
            const done = (): void => void (run.settled = true)
            processor
              .process(tasks.get(run.item) as TaskForProcessing, run.plan, {
                signal: new AbortController().signal,
                progress: () => undefined
              })
              .then(done, done)
          }
          const tick = async (): Promise<void> => {
            clock.advanceTo(clock.now() + 50)
            await settleAll()
          }
          for (const r of rounds) {
            for (const run of runs) if (!run.started) start(run)
            await tick()
            for (const a of r.arrivals) {
              const item = tasks.size
              const task: TaskForProcessing = {
                id: `t${item}`,
                title: `Task ${item}`,
                description: 'x'.repeat(a.chars),
                domain: a.domain,
                priority: 'normal',
                assigneeExpert: null,
                preferredBackend: `node-${a.node % caps.length}`,
                preferredModel: null,
                correlationId: `c${item}`
              }
              tasks.set(item, task)
              waiting.push({ item, rank: 0, plan: processor.plan(task) })
            }
            for (const e of r.endings) {
              const open = calls.splice(e.at % Math.max(1, calls.length), 1)[0]
              open?.end(e.how)
              await settleAll()
            }
            const busy = runs.filter((run) => !run.settled).map((run) => run.plan)
            const picks = pickTasks(waiting, busy, concurrency - callsOf(busy), limits, memory)
            const picked = new Set(picks.map((p) => p.item))
            waiting = waiting.filter((w) => !picked.has(w.item))
            picks.forEach((p, i) => {
              const run: Run = { item: p.item, plan: p.plan, started: false, settled: false }
              runs.push(run)
              if (!r.late[i]) start(run)
            })
            await settleAll()
            expect(peakOver).toBeLessThanOrEqual(0)
          }
          // Everything still open is answered: no task of a batch is left waiting for a call that never comes.
          for (let i = 0; i < 200 && runs.some((run) => !run.settled); i++) {
            for (const run of runs) if (!run.started) start(run)
            calls.splice(0).forEach((c) => c.end('answer'))
            await tick()
          }
          expect(runs.filter((run) => !run.settled)).toEqual([])
          expect(peakOver).toBeLessThanOrEqual(0)
        }
      ),
      { numRuns: 60 }
    )
  })
})
