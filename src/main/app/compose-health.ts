import type { EngineState } from '../../shared/contract/tasks-contract'
import type { PredictiveMonitor } from '../autopilot/predictive-monitor'
import type { EventBus } from '../events/event-bus'
import type { DiskSpaceMonitor } from '../health/disk-space-monitor'
import { createHealthMonitor, type HealthMonitor, type HealthSource } from '../health/health-monitor'

/**
 * The health every view and the tray show, gathered from each part's own
 * report and checked again whenever something it reads has changed, so the
 * status bar follows a disk filling up or a server going down without waiting
 * for the next poll.
 */
export function composeHealth(parts: {
  readonly sources: readonly HealthSource[]
  readonly events: EventBus
  readonly predictive: Pick<PredictiveMonitor, 'onChange'>
  readonly disk: Pick<DiskSpaceMonitor, 'onChange'>
  readonly engineState: () => EngineState
}): HealthMonitor {
  const { events } = parts
  const health = createHealthMonitor()
  parts.predictive.onChange(() => void health.check())
  parts.disk.onChange(() => {
    // A paused or resumed claim is the engine's state too: the Tasks view says why it waits.
    events.emit('tasks.engineChanged', parts.engineState())
    void health.check()
  })
  for (const source of parts.sources) health.add(source)
  health.onChange((snapshot) => events.emit('health.changed', snapshot))
  events.subscribe((frame) => {
    if (frame.name === 'tasks.engineChanged' || frame.name === 'knowledge.changed') void health.check()
  })
  return health
}
