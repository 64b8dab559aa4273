import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { databaseHealth, QUICK_CHECK_EVERY_MS } from './database-health'

describe('database health', () => {
  it('is ok for an open database and down, with the reason, for a closed one', () => {
    const db = new Database(':memory:')
    expect(databaseHealth(db).report()).toEqual({ component: 'database', level: 'ok', reasons: [] })
    db.close()
    const report = databaseHealth(db).report()
    expect(report.level).toBe('down')
    expect(report.reasons[0]).toMatch(/does not answer/)
  })

  it('runs the full quick check at the first report and then once per period, and asks for a query every time', () => {
    const db = new Database(':memory:')
    let clock = 0
    const pragmas: string[] = []
    const queries: string[] = []
    const watched = {
      pragma: (source: string, options?: { simple?: boolean }) => {
        pragmas.push(source)
        return db.pragma(source, options)
      },
      prepare: (source: string) => {
        queries.push(source)
        return db.prepare(source)
      }
    } as unknown as Pick<Database.Database, 'pragma' | 'prepare'>
    const health = databaseHealth(watched, () => clock)
    health.report()
    clock += QUICK_CHECK_EVERY_MS - 1
    health.report()
    expect(pragmas).toEqual(['quick_check'])
    clock += 1
    health.report()
    expect(pragmas).toEqual(['quick_check', 'quick_check'])
    expect(queries).toHaveLength(3)
  })

  it('keeps reporting the damage a quick check found until a later one passes', () => {
    let verdict = '*** in database main *** Page 7: btree page damaged'
    let clock = 0
    const fake = {
      prepare: () => ({ pluck: () => ({ get: () => 1 }) }),
      pragma: () => verdict
    } as unknown as Pick<Database.Database, 'pragma' | 'prepare'>
    const health = databaseHealth(fake, () => clock)
    expect(health.report().level).toBe('down')
    clock += 1000
    verdict = 'ok'
    expect(health.report()).toMatchObject({ level: 'down', reasons: [expect.stringMatching(/Page 7/)] })
    clock += QUICK_CHECK_EVERY_MS
    expect(health.report().level).toBe('ok')
  })
})
