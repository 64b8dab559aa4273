import {
  isBackendFailure,
  type ProcessingContext,
  type ProcessingPlan,
  type TaskForProcessing,
  type TaskProcessor
} from '../ports/task-processor'
import { batchPrompt, parseBatchAnswer } from './batch-answer'

export interface BatchingSettings {
  readonly enabled: boolean
  /** Tasks one call answers at most. */
  readonly maxTasks: number
  /** A task estimated above this many tokens (title + description) is never batched. */
  readonly maxTaskTokens: number
  /** The batch's tasks together stay under this many estimated tokens, so its answer fits the request's time. */
  readonly maxBatchTokens: number
  /** How long a batch's call waits for the tasks picked into it to start; one that has not by then is asked after it. */
  readonly windowMs: number
}

export interface BatchingStats {
  /** Model calls made through this processor (batched calls, single calls and fallbacks). */
  readonly calls: number
  readonly batches: number
  readonly batchedTasks: number
  /** Tasks of a batch that were asked again on their own. */
  readonly fallbacks: number
}

export interface BatchingOptions {
  readonly settings: () => BatchingSettings
  /** Arms a timer and returns its cancel; tests pass a fake clock's. */
  readonly setTimer?: (fn: () => void, ms: number) => () => void
}

export interface BatchingProcessor extends TaskProcessor {
  stats(): BatchingStats
}

/** Roughly four characters per token for the languages the corporation writes in: enough to tell small from large. */
export function estimateTokens(task: Pick<TaskForProcessing, 'title' | 'description'>): number {
  return Math.ceil((task.title.length + task.description.length) / 4)
}

interface Member {
  readonly task: TaskForProcessing
  readonly ctx: ProcessingContext
  readonly resolve: (answer: string) => void
  readonly reject: (error: unknown) => void
  settled: boolean
}

/** A shared call whose tasks are arriving: sent once all have, or when the window closes. */
interface Forming {
  readonly plan: ProcessingPlan
  readonly expected: number
  readonly members: Member[]
  cancelTimer: (() => void) | null
}

type Send = (task: TaskForProcessing, plan: ProcessingPlan, ctx: ProcessingContext) => Promise<string>

const realTimer = (fn: () => void, ms: number): (() => void) => {
  const timer = setTimeout(fn, ms)
  return () => clearTimeout(timer)
}

/**
 * The operators' batch of small tasks (checklist items 33, 34). plan() marks
 * a small task batchable by domain, expert, node and model; the scheduler
 * picks such tasks into one shared call (plan.call), which node caps count
 * once; process() answers them with one model call in the [RESULT_N] format.
 * Each task keeps its own run (attempt, deadline, events); a task whose block
 * is missing or unusable, or every task of a batch whose call failed on its
 * own account, is asked again on its own. Every call of one shared call is
 * made after the one before it ends, so a batch never has more calls in
 * flight than the one slot it holds. A failure of the backend fails every
 * task of the batch the same way, so the engine defers them all without
 * using attempts.
 */
export function batchingProcessor(inner: TaskProcessor, options: BatchingOptions): BatchingProcessor {
  const setTimer = options.setTimer ?? realTimer
  const forming = new Map<string, Forming>()
  /** The last call of each shared call, which its next one waits for. */
  const lanes = new Map<string, Promise<unknown>>()
  const stats = { calls: 0, batches: 0, batchedTasks: 0, fallbacks: 0 }
  let batchSeq = 0

  const single: Send = (task, plan, ctx) => {
    stats.calls++
    return inner.process(task, plan, ctx)
  }

  /** Calls of one shared call, one after another; a task stopped while it waited its turn is not sent. */
  const inLane =
    (id: string): Send =>
    (task, plan, ctx) => {
      const call = (): Promise<string> =>
        ctx.signal.aborted ? Promise.reject(ctx.signal.reason as unknown) : single(task, plan, ctx)
      const before = lanes.get(id)
      const mine = before ? before.then(call) : call()
      const tail = mine.then(ignore, ignore)
      lanes.set(id, tail)
      void tail.then(() => {
        if (lanes.get(id) === tail) lanes.delete(id)
      })
      return mine
    }

  const fail = (member: Member, error: unknown): void => {
    if (member.settled) return
    member.settled = true
    member.reject(error)
  }
  const settle = (member: Member, outcome: Promise<string>): void => {
    outcome.then(
      (answer) => {
        if (member.settled) return
        member.settled = true
        member.resolve(answer)
      },
      (error: unknown) => fail(member, error)
    )
  }

  function send(id: string, call: Forming): void {
    if (forming.get(id) === call) forming.delete(id)
    call.cancelTimer?.()
    call.cancelTimer = null
    // A task stopped while it waited (cancelled, timed out) is not sent: its run has already ended.
    for (const m of call.members) if (!m.settled && m.ctx.signal.aborted) fail(m, m.ctx.signal.reason)
    const live = call.members.filter((m) => !m.settled)
    const lane = inLane(id)
    if (live.length === 0) return
    if (live.length === 1) {
      const only = live[0] as Member
      return settle(only, lane(only.task, call.plan, only.ctx))
    }
    void runBatch(live, call.plan, lane)
  }

  async function runBatch(members: readonly Member[], plan: ProcessingPlan, lane: Send): Promise<void> {
    const id = `batch-${++batchSeq}`
    stats.batches++
    stats.batchedTasks += members.length
    const first = (members[0] as Member).task
    const domain = first.domain ?? 'general'
    members.forEach((m, i) =>
      m.ctx.progress(
        `Sent with ${members.length - 1} other small ${domain} task(s) in one call to ${plan.model} (${id}, task ${i + 1}).`
      )
    )
    const batchTask: TaskForProcessing = {
      id: `${first.id}+${members.length - 1}`,
      title: `${members.length} small ${domain} tasks, answered together`,
      description: batchPrompt(members.map((m) => m.task)),
      domain: first.domain,
      priority: first.priority,
      assigneeExpert: first.assigneeExpert,
      preferredBackend: plan.backend,
      preferredModel: plan.model,
      correlationId: `${first.correlationId}+${id}`
    }
    let answer: string
    try {
      answer = await lane(batchTask, plan, batchContext(members))
    } catch (error) {
      if (isBackendFailure(error)) {
        for (const m of members) fail(m, error)
        return
      }
      const why = error instanceof Error ? error.message : String(error)
      for (const m of members) fallBack(m, plan, lane, `the batch call failed (${why})`)
      return
    }
    const parsed = parseBatchAnswer(answer, members.length)
    const reasons = new Map(parsed.fallbacks.map((f) => [f.n, f.reason]))
    members.forEach((m, i) => {
      const result = parsed.results[i]
      if (result !== null && result !== undefined) return settle(m, Promise.resolve(result))
      fallBack(m, plan, lane, `the batch answer's block for it was ${reasons.get(i + 1) ?? 'missing'}`)
    })
  }

  function fallBack(member: Member, plan: ProcessingPlan, lane: Send, why: string): void {
    if (member.settled) return
    stats.fallbacks++
    member.ctx.progress(`Asked on its own: ${why}.`)
    settle(member, lane(member.task, plan, member.ctx))
  }

  /** The batch call is abandoned only when every task in it is: one cancelled task does not cost the others their answers. */
  function batchContext(members: readonly Member[]): ProcessingContext {
    let controller: AbortController | null = null
    return {
      get signal(): AbortSignal {
        if (!controller) {
          const made = new AbortController()
          controller = made
          const signals = members.map((m) => m.ctx.signal)
          const check = (): void => {
            if (signals.every((s) => s.aborted)) made.abort(signals[0]?.reason)
          }
          for (const s of signals) s.addEventListener('abort', check, { once: true })
          check()
        }
        return controller.signal
      },
      progress: (message) => {
        for (const m of members) if (!m.settled) m.ctx.progress(message)
      }
    }
  }

  return {
    plan(task) {
      const plan = inner.plan(task)
      const settings = options.settings()
      if (!settings.enabled || settings.maxTasks < 2) return plan
      const tokens = estimateTokens(task)
      if (tokens > settings.maxTaskTokens) return plan
      const key = [plan.backend, plan.model, task.domain ?? '', task.assigneeExpert ?? ''].join('\u0000')
      return {
        ...plan,
        batch: { key, tokens, maxTasks: settings.maxTasks, maxTokens: settings.maxBatchTokens }
      }
    },
    ensureReady: (plan, ctx) => inner.ensureReady(plan, ctx),
    load: () => inner.load(),
    ...(inner.score ? { score: inner.score.bind(inner) } : {}),
    stats: () => ({ ...stats }),
    process(task, plan, ctx) {
      const shared = plan.call
      if (!shared) return single(task, plan, ctx)
      return new Promise<string>((resolve, reject) => {
        let call = forming.get(shared.id)
        if (!call) {
          const made: Forming = { plan, expected: shared.tasks, members: [], cancelTimer: null }
          forming.set(shared.id, made)
          made.cancelTimer = setTimer(() => send(shared.id, made), options.settings().windowMs)
          call = made
        }
        call.members.push({ task, ctx, resolve, reject, settled: false })
        if (call.members.length >= call.expected) send(shared.id, call)
      })
    }
  }
}

function ignore(): void {}
