import type { Logger } from '../../log/logger'
import { describeAttempts, RouteError } from '../../models/route-error'
import type { TaskModelFailure } from '../../models/router-task-processor'

/**
 * The log line of a model request that got no answer, under its correlation id like the "model call"
 * line of an answered one: `kos logs --correlation` and the task detail show the failures of a trail too.
 */
export function logFailedModelCall(
  log: Logger,
  correlationId: string,
  error: unknown,
  durationMs: number,
  fields: Readonly<Record<string, unknown>> = {}
): void {
  const attempts = error instanceof RouteError ? error.attempts : []
  const last = attempts.at(-1)
  log.warn('model call failed', {
    correlation_id: correlationId,
    ...fields,
    // The class the Tasks view shows for it (runner_terminated, timeout, …); a cancelled request is not a timeout.
    error_type: last?.kind === 'aborted' ? 'cancelled' : error instanceof RouteError ? error.processingType() : 'other',
    node: last?.node ?? null,
    model: last?.model ?? null,
    duration_ms: Math.round(durationMs),
    attempts: attempts.length,
    error: attempts.length > 0 ? describeAttempts(attempts) : error instanceof Error ? error.message : String(error)
  })
}

/** A task's failed request, with the task's own fields as its answered calls have them. */
export function logFailedTaskCall(log: Logger, failure: TaskModelFailure): void {
  const { task } = failure
  logFailedModelCall(log, task.correlationId, failure.error, failure.durationMs, {
    source: task.workflowRunId ? 'workflow' : 'task',
    purpose: 'task',
    task_id: task.id,
    expert: task.assigneeExpert
  })
}
