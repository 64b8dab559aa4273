import type { HealthContributor } from '../../ports/health-contributor'
import type { TasksEngine } from '../../tasks/tasks-engine'

/** The worker's part of the app's health: a stopped pool is down; paused or without a model backend, degraded. */
export function workerHealth(engine: Pick<TasksEngine, 'state'>): HealthContributor {
  return {
    component: 'worker',
    report() {
      const state = engine.state()
      if (state.state === 'stopped')
        return { component: 'worker', level: 'down', reasons: ['The task worker has stopped.'] }
      const reasons = [
        ...(state.paused ? ['Autoprocessing is paused: tasks wait until it is resumed (tray or Tasks view).'] : []),
        ...(!state.processorConnected ? ['No model backend is connected: tasks wait as pending.'] : [])
      ]
      return { component: 'worker', level: reasons.length > 0 ? 'degraded' : 'ok', reasons }
    }
  }
}
