import { valueOrNull, type KosClient } from '../../shared/contract/client'
import { INITIAL_STATUS, shellHealth, type ShellStatus } from './shell-status'

/**
 * Keeps the shell's status (tray, dock, notifications) in step with the core:
 * read once at start, then moved by what the core pushes — health as it
 * changes, the manual-review count from each `tasks.changed`, the pause state
 * from `tasks.engineChanged` — with no read after an event.
 */
export function watchCoreStatus(options: { client: KosClient; onStatus: (status: ShellStatus) => void }): () => void {
  const { client, onStatus } = options
  let status: ShellStatus = INITIAL_STATUS
  let stopped = false
  // A push that lands while the first reads are in flight is newer than their answers.
  const pushed = { health: false, deferred: false, engine: false, approvals: false }

  const publish = (next: Partial<ShellStatus>): void => {
    status = { ...status, ...next }
    if (!stopped) onStatus(status)
  }

  const offs = [
    client.on('health.changed', (health) => {
      pushed.health = true
      publish(shellHealth(health))
    }),
    client.on('tasks.changed', (changed) => {
      pushed.deferred = true
      publish({ deferredCount: changed.counts.deferred_to_human })
    }),
    client.on('approvals.changed', ({ pending }) => {
      pushed.approvals = true
      publish({ approvalsPending: pending })
    }),
    client.on('tasks.engineChanged', (engine) => {
      pushed.engine = true
      publish({ autoprocessing: engine.paused ? 'paused' : 'running' })
    })
  ]

  void Promise.all([
    client.call('health.get', {}),
    client.call('tasks.counters', {}),
    client.call('tasks.engine', {}),
    client.call('approvals.list', { limit: 1 })
  ]).then(([healthRead, countersRead, engineRead, approvalsRead]) => {
    const approvals = valueOrNull(approvalsRead)
    const health = valueOrNull(healthRead)
    const counters = valueOrNull(countersRead)
    const engine = valueOrNull(engineRead)
    publish({
      ...(health && !pushed.health ? shellHealth(health) : {}),
      ...(counters && !pushed.deferred ? { deferredCount: counters.byStatus.deferred_to_human } : {}),
      ...(engine && !pushed.engine ? { autoprocessing: engine.paused ? 'paused' : 'running' } : {}),
      ...(approvals && !pushed.approvals ? { approvalsPending: approvals.pending } : {})
    })
  })
  return () => {
    stopped = true
    for (const off of offs) off()
  }
}
