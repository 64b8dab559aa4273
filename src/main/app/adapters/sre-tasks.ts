import type { KosClient } from '../../../shared/contract/client'
import { RpcFailure } from '../../../shared/contract/rpc-error'
import { SRE_EXPERT, type SreTasks } from '../../autopilot/predictive-monitor'
import type { Logger } from '../../log/logger'

/**
 * The predictive monitor files and closes its task through the queue's own
 * calls, so the task gets its events, its push and its log line like any task
 * a person creates.
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
      return result.value.id
    },
    async close(id, reason) {
      const result = await client.call('tasks.cancel', { id })
      // A task the SRE expert already finished, or a person removed, needs no closing.
      if (!result.ok && result.error.code !== 'conflict' && result.error.code !== 'not_found')
        throw new RpcFailure(result.error)
      log.info('predictive monitor: SRE task closed', {
        task: id,
        reason,
        outcome: result.ok ? 'cancelled' : result.error.message
      })
    }
  }
}
