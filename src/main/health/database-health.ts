import type { HealthReport } from '../../shared/contract/models-contract'
import type { Db } from '../db/database'

/**
 * SQLite's quick check reads every page: about half a second at 100,000
 * tasks, seconds at a million, all on the event loop that carries the
 * windows' updates and the workers' heartbeats. Run at every 5 s health
 * check it stalled the loop for a tenth of the time, so it runs at the first
 * check and then this often; the checks between only ask the database to
 * answer a query.
 */
export const QUICK_CHECK_EVERY_MS = 3_600_000

/** The database's part of health: it answers a query, and passes SQLite's quick check when one is due. */
export function databaseHealth(
  db: Pick<Db, 'prepare' | 'pragma'>,
  now: () => number = Date.now
): { component: string; report(): HealthReport } {
  let checkedAt = -Infinity
  let damage: string | null = null
  return {
    component: 'database',
    report() {
      try {
        db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get()
        if (now() - checkedAt >= QUICK_CHECK_EVERY_MS) {
          const result = db.pragma('quick_check', { simple: true })
          checkedAt = now()
          damage = result === 'ok' ? null : String(result)
        }
        if (damage !== null)
          return {
            component: 'database',
            level: 'down',
            reasons: [`SQLite's quick check found damage (${damage}). Restore the database from a backup.`]
          }
        return { component: 'database', level: 'ok', reasons: [] }
      } catch (error) {
        return {
          component: 'database',
          level: 'down',
          reasons: [`The database does not answer (${error instanceof Error ? error.message : String(error)}).`]
        }
      }
    }
  }
}
