/** One part of the app's health (nodes, supervisor, worker, database, chat fallbacks), aggregated by the health monitor. */
export type HealthLevel = 'ok' | 'degraded' | 'down'

export interface HealthReport {
  readonly component: string
  readonly level: HealthLevel
  /** Why it is not ok, in words a person can act on; empty when ok. */
  readonly reasons: readonly string[]
}

export interface HealthContributor {
  readonly component: string
  report(): HealthReport | Promise<HealthReport>
}
