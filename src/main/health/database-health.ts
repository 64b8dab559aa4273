import type { HealthReport } from '../../shared/contract/models-contract'
import type { Db } from '../db/database'

/** The database's part of health: it answers a query and passes SQLite's quick check. */
export function databaseHealth(db: Db): { component: string; report(): HealthReport } {
  return {
    component: 'database',
    report() {
      try {
        const result = db.pragma('quick_check', { simple: true })
        if (result !== 'ok')
          return {
            component: 'database',
            level: 'down',
            reasons: [`SQLite's quick check found damage (${String(result)}). Restore the database from a backup.`]
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
