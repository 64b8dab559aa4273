import type { EventFrame } from '../../shared/contract/wire'
import type { TaskSummary } from '../../shared/contract/tasks-contract'
import type { RunSummary } from '../../shared/contract/workflows-contract'
import type { TraceExport, TraceSpan } from './trace-export'

const ENDED = new Set<TaskSummary['status']>(['completed', 'deferred_to_human', 'cancelled'])
const RUN_ENDED = new Set<RunSummary['status']>(['completed', 'failed', 'cancelled'])

/** The keys spans hang under (trace-export.ts): a task's, a workflow run's. */
export const taskKey = (taskId: string): string => `task:${taskId}`
export const runKey = (runId: string): string => `workflow:${runId}`

/** What a task's span needs beyond its list row: its trace, and what it is part of. */
export interface TaskTraceContext {
  readonly correlationId: string
  /** metadata.workflowRunId: a step of this run. */
  readonly workflowRunId: string | null
  /** The task it is a subtask of. */
  readonly parentTaskId: string | null
}

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
    parentKey: taskKey(request.taskId),
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
 * cancelled), from its creation to its end, under its workflow run's span or
 * its parent task's; its context is read only while traces are exported.
 */
export function taskSpans(deps: {
  readonly traces: Pick<TraceExport, 'record'>
  readonly enabled: () => boolean
  readonly contextOf: (taskId: string) => Promise<TaskTraceContext | null>
}): (frame: EventFrame) => void {
  return (frame) => {
    if (frame.name !== 'tasks.changed' || !deps.enabled()) return
    const { tasks } = frame.payload as { tasks: readonly TaskSummary[] }
    for (const task of tasks) {
      if (!ENDED.has(task.status)) continue
      void deps.contextOf(task.id).then((context) => {
        if (context === null) return
        const parentKey = context.workflowRunId
          ? runKey(context.workflowRunId)
          : context.parentTaskId
            ? taskKey(context.parentTaskId)
            : null
        deps.traces.record({
          name: 'task',
          correlationId: context.correlationId,
          key: taskKey(task.id),
          ...(parentKey ? { parentKey } : {}),
          startMs: Date.parse(task.createdAt),
          endMs: Date.parse(task.updatedAt),
          attributes: { 'kos.task_id': task.id, 'kos.status': task.status, 'kos.attempts': task.attemptCount },
          error: task.status === 'completed' ? null : (task.lastError ?? task.status)
        })
      })
    }
  }
}

/**
 * A `workflow.run` span for each run that ends, from its start to its end, in
 * the trace of the call that started it; its steps' task spans hang under it.
 * Recorded once per run, however often its end is reported.
 */
export function runSpans(deps: {
  readonly traces: Pick<TraceExport, 'record'>
  readonly enabled: () => boolean
  readonly correlationOf: (runId: string) => Promise<string | null>
}): (frame: EventFrame) => void {
  const recorded = new Set<string>()
  return (frame) => {
    if (frame.name !== 'workflows.changed' || !deps.enabled()) return
    const run = frame.payload as RunSummary
    if (!RUN_ENDED.has(run.status) || recorded.has(run.id)) return
    recorded.add(run.id)
    void deps.correlationOf(run.id).then((correlationId) => {
      if (correlationId === null) return
      deps.traces.record({
        name: 'workflow.run',
        correlationId,
        key: runKey(run.id),
        startMs: Date.parse(run.createdAt),
        endMs: Date.parse(run.updatedAt),
        attributes: {
          'kos.workflow_run_id': run.id,
          'kos.workflow_id': run.workflowId,
          'kos.status': run.status,
          'kos.rounds': run.round
        },
        error: run.status === 'completed' ? null : (run.error ?? run.status)
      })
    })
  }
}
