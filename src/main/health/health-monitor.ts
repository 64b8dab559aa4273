import type { HealthLevel, HealthReport, HealthSnapshot } from '../../shared/contract/models-contract'

/** What a part reports; the same shape as the ports' HealthReport, which health (rank 2) may not import. */
export interface SourceReport {
  readonly component: string
  readonly level: HealthLevel
  readonly reasons: readonly string[]
}

/** Anything that can say how one part of the app is doing (nodes, supervisor, worker, database). */
export interface HealthSource {
  readonly component: string
  report(): SourceReport | Promise<SourceReport>
}

export interface HealthMonitor {
  add(source: HealthSource): void
  current(): HealthSnapshot
  /** Asks every source now; emits a change when the level or any reason differs. */
  check(): Promise<HealthSnapshot>
  onChange(listener: (snapshot: HealthSnapshot) => void): () => void
  start(intervalMs: number): void
  stop(): void
}

const RANK: Record<HealthLevel, number> = { ok: 0, degraded: 1, down: 2 }

/** The worst level wins; a source that throws counts as down with its error as the reason. */
export function aggregate(reports: readonly SourceReport[], checkedAt: string): HealthSnapshot {
  let level: HealthLevel = 'ok'
  for (const r of reports) if (RANK[r.level] > RANK[level]) level = r.level
  const reasons = reports
    .filter((r) => r.level !== 'ok')
    .flatMap((r) => r.reasons.map((reason) => `${r.component}: ${reason}`))
  const components: HealthReport[] = reports.map((r) => ({
    component: r.component,
    level: r.level,
    reasons: [...r.reasons]
  }))
  return { level, reasons, components, checkedAt }
}

export function createHealthMonitor(now: () => Date = () => new Date()): HealthMonitor {
  const sources: HealthSource[] = []
  const listeners = new Set<(snapshot: HealthSnapshot) => void>()
  let snapshot: HealthSnapshot = aggregate([], now().toISOString())
  let timer: NodeJS.Timeout | null = null
  let checking: Promise<HealthSnapshot> | null = null
  let again: Promise<HealthSnapshot> | null = null
  let stopped = false

  async function checkOnce(): Promise<HealthSnapshot> {
    const reports = await Promise.all(
      sources.map(async (s): Promise<SourceReport> => {
        try {
          return await s.report()
        } catch (error) {
          return {
            component: s.component,
            level: 'down',
            reasons: [`its health check failed: ${error instanceof Error ? error.message : String(error)}`]
          }
        }
      })
    )
    const next = aggregate(reports, now().toISOString())
    if (stopped) return next
    const changed =
      next.level !== snapshot.level || JSON.stringify(next.components) !== JSON.stringify(snapshot.components)
    snapshot = next
    if (changed) for (const l of listeners) l(next)
    return next
  }

  return {
    add: (source) => void sources.push(source),
    current: () => snapshot,
    check() {
      // A check asked for while one runs may have been caused by a change that
      // one did not see, so it runs again once the current one ends.
      if (checking) {
        again ??= checking.then(() => {
          again = null
          return this.check()
        })
        return again
      }
      checking = checkOnce().finally(() => (checking = null))
      return checking
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start(intervalMs) {
      if (timer) clearInterval(timer)
      timer = setInterval(() => void this.check(), intervalMs)
      timer.unref()
      void this.check()
    },
    stop() {
      stopped = true
      if (timer) clearInterval(timer)
      timer = null
    }
  }
}
