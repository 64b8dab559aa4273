import type { Expert, Subtask } from '../../shared/contract/chat-contract'
import type { Logger } from '../log/logger'
import type { QueuedTask, QueuedTaskStatus, TaskQueue } from '../ports/task-queue'
import type { PlannedSubtask } from './chat-prompts'
import { shorten } from './chat-prompts'
import { bestExpertFor, detectDomain } from './request-classifier'

const TERMINAL: ReadonlySet<QueuedTaskStatus> = new Set(['completed', 'failed', 'deferred_to_human', 'cancelled'])

export interface SubtaskPlan {
  readonly request: string
  readonly domain: string
  readonly priority: 'normal' | 'high'
  readonly planned: readonly PlannedSubtask[]
  readonly experts: readonly Expert[]
  readonly lead: Expert
  readonly correlationId: string
  readonly sessionId: string
  readonly messageId: string
}

export interface QueuedPlan {
  readonly parentTaskId: string
  readonly subtasks: Subtask[]
}

/** Creates the parent task and one child per planned subtask, each assigned to the best expert for its domain. */
export function queueSubtasks(tasks: TaskQueue, plan: SubtaskPlan): QueuedPlan {
  const metadata = { source: 'chat', sessionId: plan.sessionId, messageId: plan.messageId }
  const priority = plan.priority === 'high' ? 'high' : 'normal'
  const parent = tasks.create({
    title: shorten(plan.request, 120),
    description: plan.request,
    domain: plan.domain,
    priority,
    assigneeExpert: plan.lead.id,
    metadata,
    correlationId: plan.correlationId
  })
  const subtasks = plan.planned.map((item): Subtask => {
    const domain = detectDomain(`${item.title} ${item.description}`)
    const expert = bestExpertFor(domain, plan.experts)
    const task = tasks.create({
      title: item.title,
      description: `${item.description}\n\nThis is one part of the request: ${plan.request}`,
      domain,
      priority,
      ...(expert ? { assigneeExpert: expert.id } : {}),
      parentTaskId: parent.id,
      metadata,
      correlationId: plan.correlationId
    })
    return { id: task.id, title: task.title, status: task.status, expertId: expert?.id ?? null }
  })
  return { parentTaskId: parent.id, subtasks }
}

/**
 * Follows the subtasks until every one has ended, reporting each change. A
 * stop ends the wait, not the tasks: they go on in the task engine.
 */
export function followSubtasks(
  tasks: TaskQueue,
  subtasks: readonly Subtask[],
  onChange: (subtasks: Subtask[]) => void,
  signal: AbortSignal,
  log: Logger
): Promise<QueuedTask[]> {
  return new Promise((resolve, reject) => {
    const latest = new Map<string, QueuedTask>()
    let current = subtasks.map((s) => ({ ...s }))
    let finished = false
    let unwatch: () => void = () => undefined
    const finish = (): void => {
      finished = true
      unwatch()
      signal.removeEventListener('abort', onAbort)
    }
    const check = (): void => {
      if (finished) return
      if (current.every((s) => TERMINAL.has(s.status))) {
        finish()
        resolve(
          current.map(
            (s) => latest.get(s.id) ?? { id: s.id, title: s.title, status: s.status, result: null, lastError: null }
          )
        )
      }
    }
    const update = (task: QueuedTask): void => {
      if (finished) return
      latest.set(task.id, task)
      const before = current.find((s) => s.id === task.id)
      if (!before || before.status === task.status) return
      current = current.map((s) => (s.id === task.id ? { ...s, status: task.status } : s))
      log.info('subtask changed', { task_id: task.id, status: task.status })
      onChange(current)
      check()
    }
    const onAbort = (): void => {
      finish()
      reject(signal.reason instanceof Error ? signal.reason : new Error('stopped'))
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    unwatch = tasks.watch(
      subtasks.map((s) => s.id),
      update
    )
    // A task may have ended between its creation and the watch.
    for (const s of subtasks) {
      const task = tasks.get(s.id)
      if (task) update(task)
    }
    check()
  })
}
