import type { EventBus } from '../events/event-bus'
import { readValue, type ReadCall } from '../rpc/read-call'
import { INITIAL_STATUS, shellHealth, type ShellStatus } from './shell-status'

/**
 * Keeps the shell's status (tray, dock, notifications) in step with the core:
 * health as it is pushed, and the manual-review count re-read shortly after
 * task events (coalesced, so a burst of events is one read).
 */
export function watchCoreStatus(options: {
  read: ReadCall
  events: EventBus
  onStatus: (status: ShellStatus) => void
  coalesceMs?: number
}): () => void {
  const { read, events, onStatus } = options
  let status: ShellStatus = INITIAL_STATUS
  let pending: NodeJS.Timeout | null = null
  let stopped = false

  const publish = (next: Partial<ShellStatus>): void => {
    status = { ...status, ...next }
    if (!stopped) onStatus(status)
  }

  const readTasks = async (): Promise<void> => {
    const [counters, engine] = await Promise.all([readValue(read, 'tasks.counters'), readValue(read, 'tasks.engine')])
    publish({
      ...(counters ? { deferredCount: counters.byStatus.deferred_to_human ?? 0 } : {}),
      ...(engine ? { autoprocessing: engine.paused ? 'paused' : 'running' } : {})
    })
  }

  const soon = (): void => {
    if (pending) return
    pending = setTimeout(() => {
      pending = null
      void readTasks()
    }, options.coalesceMs ?? 500)
  }

  void Promise.all([readValue(read, 'health.get'), readTasks()]).then(([health]) => {
    if (health) publish(shellHealth(health))
  })
  const off = events.subscribe((frame) => {
    if (frame.name === 'health.changed') {
      publish(shellHealth(frame.payload as Parameters<typeof shellHealth>[0]))
    } else if (frame.name === 'tasks.event' || frame.name === 'tasks.engineChanged') soon()
  })
  return () => {
    stopped = true
    off()
    if (pending) clearTimeout(pending)
  }
}
