import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { databaseHealth } from './database-health'

describe('database health', () => {
  it('is ok for an open database and down, with the reason, for a closed one', () => {
    const db = new Database(':memory:')
    expect(databaseHealth(db).report()).toEqual({ component: 'database', level: 'ok', reasons: [] })
    db.close()
    const report = databaseHealth(db).report()
    expect(report.level).toBe('down')
    expect(report.reasons[0]).toMatch(/does not answer/)
  })
})
