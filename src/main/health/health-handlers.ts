import type { HandlersFor } from '../rpc/handler-types'
import type { HealthMonitor } from './health-monitor'

export function healthHandlers(monitor: HealthMonitor): HandlersFor<'health'> {
  return { 'health.get': () => monitor.check() }
}
