import { valueOrNull, type KosClient } from '../../shared/contract/client'
import type { ConfigService } from '../config/config-service'
import type { EventBus } from '../events/event-bus'
import type { Router } from '../models/router'
import { requestSpan, runSpans, taskSpans, type TaskTraceContext } from '../telemetry/task-spans'
import type { TraceExport } from '../telemetry/trace-export'

/**
 * Every model request of a task, every task from created to ended and every
 * workflow run, as spans of one trace per correlation id: a task's requests
 * and runs under its span, a run's step tasks under the run's, a subtask
 * under its parent task's. The export itself sends nothing until
 * telemetry.otlpEndpoint names a collector. Returns the unsubscribes.
 */
export function traceTasksAndRequests(parts: {
  readonly traces: TraceExport
  readonly router: Pick<Router, 'onTaskModelCall'>
  readonly events: EventBus
  readonly config: ConfigService
  readonly reader: KosClient
}): Array<() => void> {
  const { traces, reader, config } = parts
  const enabled = (): boolean => config.get('telemetry.otlpEndpoint').trim() !== ''
  const contextOf = async (id: string): Promise<TaskTraceContext | null> => {
    const task = valueOrNull(await reader.call('tasks.get', { id }))?.task
    const { correlationId, workflowRunId } = task?.metadata ?? {}
    if (!task || typeof correlationId !== 'string') return null
    return {
      correlationId,
      workflowRunId: typeof workflowRunId === 'string' ? workflowRunId : null,
      parentTaskId: task.parentTaskId
    }
  }
  return [
    parts.router.onTaskModelCall((call) =>
      traces.record(
        requestSpan({
          correlationId: call.task.correlationId,
          taskId: call.task.id,
          node: call.node,
          model: call.model,
          durationMs: call.durationMs,
          tokensIn: call.usage?.tokensIn ?? null,
          tokensOut: call.usage?.tokensOut ?? null,
          failed: call.failed
        })
      )
    ),
    parts.events.subscribe(taskSpans({ traces, enabled, contextOf })),
    parts.events.subscribe(
      runSpans({
        traces,
        enabled,
        // A run is in the trace of the call that started it, which its step tasks carry.
        correlationOf: async (runId) => {
          const steps = valueOrNull(await reader.call('workflows.runs.get', { id: runId }))?.steps ?? []
          const taskId = steps.find((s) => s.taskId !== null)?.taskId
          return taskId ? ((await contextOf(taskId))?.correlationId ?? null) : null
        }
      })
    )
  ]
}
