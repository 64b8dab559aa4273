import type { Expert } from '../../shared/contract/chat-contract'
import type { Logger } from '../log/logger'
import {
  ProcessingError,
  type ProcessingContext,
  type ProcessingPlan,
  type TaskForProcessing,
  type TaskProcessor
} from '../ports/task-processor'
import type { QueuedTask, QueuedTaskStatus, TaskQueue } from '../ports/task-queue'
import { DECOMPOSE_PROMPT, parseSubtasks, shorten } from './chat-prompts'
import { bestExpertFor, detectDomain } from './request-classifier'

/** What the decomposer must know of a queued task that the processor's view of it leaves out. */
export interface TaskFamily {
  readonly parentTaskId: string | null
  readonly metadata: Readonly<Record<string, unknown>>
  /** Its subtasks, oldest first. */
  readonly children: readonly QueuedTask[]
}

export interface DecompositionDeps {
  readonly tasks: Pick<TaskQueue, 'create'>
  readonly family: (taskId: string) => TaskFamily | null
  readonly experts: () => Promise<readonly Expert[]>
  readonly enabled: () => boolean
  readonly log: Logger
}

/** How soon a parent that waits is looked at again: planning it is a cheap read, and it should complete as soon as its subtasks have. */
const RECHECK_MS = 1_000
const ENDED: ReadonlySet<QueuedTaskStatus> = new Set(['completed', 'cancelled'])
const RESULT_CHARS = 6_000

type ParentState =
  | { readonly kind: 'none' }
  | { readonly kind: 'running'; readonly left: number; readonly total: number }
  | { readonly kind: 'review'; readonly held: readonly QueuedTask[] }
  | { readonly kind: 'done'; readonly children: readonly QueuedTask[] }

/** Also what the engine shows while only such parents are pending, so it names the task and says nothing is stuck. */
const runningReason = (task: TaskForProcessing, state: { left: number; total: number }): string =>
  `“${shorten(task.title, 80)}” waits for its subtasks (${state.left} of ${state.total} still to do) and completes with a synthesis of their results.`

function parentState(children: readonly QueuedTask[]): ParentState {
  if (children.length === 0) return { kind: 'none' }
  const held = children.filter((c) => c.status === 'deferred_to_human')
  const left = children.filter((c) => !ENDED.has(c.status) && c.status !== 'deferred_to_human').length
  if (left > 0) return { kind: 'running', left, total: children.length }
  if (held.length > 0) return { kind: 'review', held }
  return { kind: 'done', children }
}

/** High or urgent, or marked complex by whoever queued it (the operators' Phase 1.5); never a subtask, never one opted out. */
export function wantsDecomposition(task: TaskForProcessing, family: TaskFamily): boolean {
  if (family.parentTaskId !== null || family.metadata.decompose === false) return false
  return task.priority === 'high' || task.priority === 'urgent' || family.metadata.complex === true
}

/**
 * Decomposition of queued tasks through the lead agent, as a TaskProcessor
 * decorator. A high/urgent/complex task's first run asks the lead agent (the
 * chat's own prompt and parser) for subtasks, queues them with parent_task_id
 * and ends without using an attempt: the parent waits, unplanned, while they
 * run. Once every subtask has ended its next run asks the model for a
 * synthesis of their results, which becomes the parent's result. A subtask in
 * manual review keeps the parent waiting, its reason naming that subtask. All
 * of it is read back from the tasks table, so a restart changes nothing.
 */
export function decomposingProcessor(inner: TaskProcessor, deps: DecompositionDeps): TaskProcessor {
  /** Parents whose manual-review wait was already recorded, by what held them: planned again only when that changes. */
  const reported = new Map<string, string>()
  /** Tasks the lead agent did not split, so their runs do not ask again. */
  const single = new Set<string>()

  const waiting = (message: string): ProcessingError =>
    new ProcessingError('other', message, { blame: 'backend', retryAfterMs: RECHECK_MS })

  const reviewKey = (held: readonly QueuedTask[]): string => held.map((c) => `${c.id}:${c.lastError ?? ''}`).join('|')

  function reviewReason(task: TaskForProcessing, held: readonly QueuedTask[]): string {
    const names = held.map((c) => `“${c.title}”${c.lastError ? ` (${c.lastError})` : ''}`).join(', ')
    return `Waiting: ${held.length === 1 ? 'its subtask' : 'its subtasks'} ${names} ${held.length === 1 ? 'is' : 'are'} in manual review. Return ${held.length === 1 ? 'it' : 'them'} to autoprocessing in the Tasks view (or cancel ${held.length === 1 ? 'it' : 'them'}), and “${shorten(task.title, 80)}” completes once the rest is done.`
  }

  async function decompose(task: TaskForProcessing, plan: ProcessingPlan, ctx: ProcessingContext): Promise<string> {
    const experts = await deps.experts()
    const lead = experts.find((e) => e.lead) ?? null
    const request = task.description.trim() ? `${task.title}\n\n${task.description}` : task.title
    ctx.progress(`Asking ${lead?.name ?? 'the lead agent'} to split the task into subtasks.`)
    const reply = await inner.process(
      {
        ...task,
        title: `Split into subtasks: ${shorten(task.title, 120)}`,
        description: `${DECOMPOSE_PROMPT}\n\nThe request:\n${request}`,
        assigneeExpert: lead?.id ?? task.assigneeExpert
      },
      plan,
      ctx
    )
    const planned = parseSubtasks(reply, request)
    if (planned.length < 2) {
      single.add(task.id)
      ctx.progress('The lead agent kept it as one task.')
      return inner.process(task, plan, ctx)
    }
    const created = planned.map((item) => {
      const domain = detectDomain(`${item.title} ${item.description}`)
      const expert = bestExpertFor(domain, experts)
      return deps.tasks.create({
        title: item.title,
        description: `${item.description}\n\nThis is one part of the task: ${shorten(request, 2_000)}`,
        domain,
        priority: task.priority,
        ...(expert ? { assigneeExpert: expert.id } : {}),
        parentTaskId: task.id,
        metadata: { source: 'decomposition' },
        correlationId: task.correlationId
      })
    })
    deps.log.info('task decomposed', {
      correlation_id: task.correlationId,
      task_id: task.id,
      subtasks: created.map((c) => c.id)
    })
    throw waiting(
      `Waiting for its ${created.length} subtasks: ${created.map((c) => `“${c.title}”`).join(', ')}. It completes with a synthesis of their results.`
    )
  }

  function synthesize(
    task: TaskForProcessing,
    children: readonly QueuedTask[],
    plan: ProcessingPlan,
    ctx: ProcessingContext
  ): Promise<string> {
    const done = children.filter((c) => c.status === 'completed')
    if (done.length === 0)
      throw new ProcessingError(
        'other',
        `None of its ${children.length} subtasks was completed (all were cancelled): there is nothing to combine. Queue the task anew to have it split again, or answer it by hand.`
      )
    ctx.progress(`Combining the results of ${done.length} of ${children.length} subtasks.`)
    const parts = children
      .map(
        (c, i) =>
          `### ${i + 1}. ${c.title}\n${c.status === 'completed' ? shorten(c.result ?? '(no result text)', RESULT_CHARS) : 'Not done (cancelled).'}`
      )
      .join('\n\n')
    return inner.process(
      {
        ...task,
        title: `Synthesis: ${shorten(task.title, 120)}`,
        description: `The task below was split into subtasks the team has worked on.\n\nThe task:\n${task.title}\n${task.description}\n\nTheir results:\n\n${parts}\n\nWrite the final result of the task from these results: combine them, fix contradictions, and say plainly what is missing.`
      },
      plan,
      ctx
    )
  }

  return {
    plan(task) {
      // Any parent waits while its subtasks run, whoever split it (this decomposer, a chat request).
      const family = deps.family(task.id)
      const state = family ? parentState(family.children) : ({ kind: 'none' } as const)
      if (state.kind === 'running') throw waiting(runningReason(task, state))
      if (state.kind === 'review' && reported.get(task.id) === reviewKey(state.held))
        throw waiting(reviewReason(task, state.held))
      const plan = inner.plan(task)
      // Its split or synthesis is a call of its own, never one answer in a batch of small tasks.
      const own = family !== null && (state.kind === 'done' || (deps.enabled() && wantsDecomposition(task, family)))
      return own && plan.batch ? { backend: plan.backend, model: plan.model, heavy: plan.heavy } : plan
    },
    ensureReady: (plan, ctx) => inner.ensureReady(plan, ctx),
    load: () => inner.load(),
    ...(inner.score ? { score: inner.score.bind(inner) } : {}),
    async process(task, plan, ctx) {
      const family = deps.family(task.id)
      if (!family) return inner.process(task, plan, ctx)
      const state = parentState(family.children)
      if (state.kind === 'review') {
        reported.set(task.id, reviewKey(state.held))
        throw waiting(reviewReason(task, state.held))
      }
      reported.delete(task.id)
      if (state.kind === 'running') throw waiting(runningReason(task, state))
      if (state.kind === 'done') return synthesize(task, state.children, plan, ctx)
      if (!deps.enabled() || single.has(task.id) || !wantsDecomposition(task, family))
        return inner.process(task, plan, ctx)
      return decompose(task, plan, ctx)
    }
  }
}
