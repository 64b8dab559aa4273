import { valueOrNull, type KosClient } from '../../../shared/contract/client'
import { RpcFailure } from '../../../shared/contract/rpc-error'
import { SRE_EXPERT, type SreTasks } from '../../autopilot/predictive-monitor'
import type { Logger } from '../../log/logger'

/**
 * The predictive monitor files and closes its task through the queue's own
 * calls, so the task gets its events, its push and its log line like any task
 * a person creates. Both log under the task's correlation id, so its trail
 * (the task detail, `kos logs --correlation`) says why it was filed and why closed.
 */
export function sreTasksThrough(client: Pick<KosClient, 'call'>, log: Logger): SreTasks {
  return {
    async file(task) {
      const result = await client.call('tasks.create', {
        ...task,
        // Closed by the monitor when the condition clears: split into subtasks, it would leave them behind.
        metadata: { ...task.metadata, decompose: false },
        domain: 'sre',
        priority: 'urgent',
        assigneeExpert: SRE_EXPERT
      })
      if (!result.ok) throw new RpcFailure(result.error)
      log.info('predictive monitor: SRE task filed', {
        correlation_id: correlationOf(result.value.metadata),
        task_id: result.value.id,
        evidence: task.title
      })
      return result.value.id
    },
    async close(id, reason) {
      const result = await client.call('tasks.cancel', { id })
      // A task the SRE expert already finished, or a person removed, needs no closing.
      if (!result.ok && result.error.code !== 'conflict' && result.error.code !== 'not_found')
        throw new RpcFailure(result.error)
      const task = result.ok ? result.value : valueOrNull(await client.call('tasks.get', { id }))?.task
      log.info('predictive monitor: SRE task closed', {
        correlation_id: correlationOf(task?.metadata),
        task_id: id,
        reason,
        outcome: result.ok ? 'cancelled' : result.error.message
      })
    }
  }
}

function correlationOf(metadata: Record<string, unknown> | undefined): string | undefined {
  return typeof metadata?.correlationId === 'string' ? metadata.correlationId : undefined
}
