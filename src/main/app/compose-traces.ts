import { valueOrNull, type KosClient } from '../../shared/contract/client'
import type { ConfigService } from '../config/config-service'
import type { EventBus } from '../events/event-bus'
import type { Router } from '../models/router'
import { requestSpan, taskSpans } from '../telemetry/task-spans'
import type { TraceExport } from '../telemetry/trace-export'

/**
 * Every model request of a task, and every task from created to ended, as a
 * span carrying the correlation id of the call that queued it; the export
 * itself sends nothing until telemetry.otlpEndpoint names a collector.
 * Returns the unsubscribes.
 */
export function traceTasksAndRequests(parts: {
  readonly traces: TraceExport
  readonly router: Pick<Router, 'onTaskModelCall'>
  readonly events: EventBus
  readonly config: ConfigService
  readonly reader: KosClient
}): Array<() => void> {
  const { traces, reader, config } = parts
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
    parts.events.subscribe(
      taskSpans({
        traces,
        enabled: () => config.get('telemetry.otlpEndpoint').trim() !== '',
        correlationOf: async (id) => {
          const correlation = valueOrNull(await reader.call('tasks.get', { id }))?.task.metadata.correlationId
          return typeof correlation === 'string' ? correlation : null
        }
      })
    )
  ]
}
