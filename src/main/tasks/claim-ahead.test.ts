import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { scriptedProcessor } from './testing/scripted-processor'
import { migratedDb, testEngine, until } from './testing/test-engine'
import { createWalSync } from '../db/wal-sync'

const tempDir = useTempDirs()
const TASKS = 120

/** The most tasks leased (in progress in the database) at once while `TASKS` quick tasks run through `concurrency` slots. */
async function mostLeased(claimAhead: boolean, suspects = false): Promise<{ leased: number; waits: number[] }> {
  const waits: number[] = []
  const processor = scriptedProcessor(() => ({ kind: 'answer', text: 'a quick answer that passes the checks' }))
  const dir = tempDir()
  const db = migratedDb(dir)
  // A flush that reports at once: each commit is published before the next is built, so the count read then is that commit's.
  const wal = createWalSync(db, (_fd, done) => done(null))
  const h = testEngine(
    dir,
    processor,
    { 'worker.maxConcurrency': 2, 'worker.minConcurrency': 2, 'worker.minAnswerChars': 0 },
    // A clock that stands still: every task takes 0 ms as the pool measures it, so it counts as quick however loaded the machine.
    { db, wal, claimAhead, observeClaim: (ms) => waits.push(ms), now: () => Date.parse('2026-03-01T09:00:00Z') }
  )
  for (let i = 0; i < TASKS; i++) await h.engine.create({ title: `quick ${i}`, description: `quick task number ${i}` })
  // Each was in flight at an earlier crash of the app.
  if (suspects) h.db.exec('UPDATE tasks SET interrupted_count = 1')
  const leasedNow = h.db.prepare("SELECT count(*) FROM tasks WHERE status = 'in_progress'").pluck()
  let leased = 0
  h.engine.onEvents(() => (leased = Math.max(leased, leasedNow.get() as number)))
  h.engine.start()
  await until(() => h.events.filter((e) => e.kind === 'completed').length === TASKS, 'every task completed')
  await h.engine.stop()
  h.db.close()
  return { leased, waits }
}

describe('claiming ahead', () => {
  it('off, never leases more tasks than there are slots; on, leases ahead while tasks are quick; each started task reports one claim wait', async () => {
    const off = await mostLeased(false)
    expect(off.leased).toBeLessThanOrEqual(2)
    expect(off.waits).toHaveLength(TASKS)
    const on = await mostLeased(true)
    expect(on.leased).toBeGreaterThan(2)
    expect(on.waits).toHaveLength(TASKS)
    for (const wait of [...off.waits, ...on.waits]) expect(wait).toBeGreaterThanOrEqual(0)
  }, 30_000)

  it('never claims ahead a task that was in flight at a crash: it starts when claimed, so a crash while it runs counts against it', async () => {
    const suspects = await mostLeased(true, true)
    expect(suspects.leased).toBeLessThanOrEqual(2)
    expect(suspects.waits).toHaveLength(TASKS)
  }, 30_000)
})
