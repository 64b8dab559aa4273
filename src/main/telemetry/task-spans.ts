import type { EventFrame } from '../../shared/contract/wire'
import type { TaskSummary } from '../../shared/contract/tasks-contract'
import type { TraceExport, TraceSpan } from './trace-export'

const ENDED = new Set<TaskSummary['status']>(['completed', 'deferred_to_human', 'cancelled'])

/** A model request of a task's run, as the router reports it for the usage ledger. */
export interface RequestDone {
  readonly correlationId: string
  readonly taskId: string
  readonly node: string
  readonly model: string
  readonly durationMs: number
  readonly tokensIn: number | null
  readonly tokensOut: number | null
  readonly failed: boolean
}

export function requestSpan(request: RequestDone, now = Date.now()): TraceSpan {
  return {
    name: 'router.request',
    correlationId: request.correlationId,
    startMs: now - request.durationMs,
    endMs: now,
    attributes: {
      'kos.task_id': request.taskId,
      'kos.node': request.node,
      'kos.model': request.model,
      ...(request.tokensIn !== null ? { 'kos.tokens_in': request.tokensIn } : {}),
      ...(request.tokensOut !== null ? { 'kos.tokens_out': request.tokensOut } : {})
    },
    error: request.failed ? 'the request gave no answer' : null
  }
}

/**
 * A `task` span for each task that ends (completed, sent to manual review,
 * cancelled), from its creation to its end; its correlation id is read only
 * while traces are exported.
 */
export function taskSpans(deps: {
  readonly traces: Pick<TraceExport, 'record'>
  readonly enabled: () => boolean
  readonly correlationOf: (taskId: string) => Promise<string | null>
}): (frame: EventFrame) => void {
  return (frame) => {
    if (frame.name !== 'tasks.changed' || !deps.enabled()) return
    const { tasks } = frame.payload as { tasks: readonly TaskSummary[] }
    for (const task of tasks) {
      if (!ENDED.has(task.status)) continue
      void deps.correlationOf(task.id).then((correlationId) => {
        if (correlationId === null) return
        deps.traces.record({
          name: 'task',
          correlationId,
          startMs: Date.parse(task.createdAt),
          endMs: Date.parse(task.updatedAt),
          attributes: { 'kos.task_id': task.id, 'kos.status': task.status, 'kos.attempts': task.attemptCount },
          error: task.status === 'completed' ? null : (task.lastError ?? task.status)
        })
      })
    }
  }
}
