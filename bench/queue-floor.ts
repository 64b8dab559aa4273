import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTaskStore, type Changes, type Lease } from '../src/main/tasks/task-store'
import { openTaskDb } from '../src/main/tasks/testing/task-db'
import { seedPendingTasks } from './queue-throughput'

export interface FloorResult {
  readonly groupSize: number
  readonly hold: boolean
  readonly tasksPerSec: number
  readonly cpuUsPerTask: number
}

const MAX_ATTEMPTS = 3

/**
 * The floor under the engine's figures: the task store's own reads and writes for claim → complete, and
 * nothing else. Each transaction is one group commit as the engine makes it: the completions of the last
 * group's tasks (update and event), then a candidate read as deep as the pool reads (the free slots and as
 * many again, up to 16 more) and the claims of `groupSize` of them (update; a quick task's claim has no event
 * of its own, its completion's says where it ran; held, no update: the completion writes claim and answer), committed with
 * synchronous=NORMAL as the engine commits. No pool, scheduler, processor, change description, publish or
 * fsync. The engine's tasks/s over this says how much of a task's time is the engine's own; what is left is
 * SQLite doing the writes a durable task needs.
 */
export function measureStoreFloor(repoRoot: string, groupSize: number, tasks: number, hold: boolean): FloorResult {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-floor-'))
  const db = openTaskDb(join(dir, 'kos.db'), repoRoot, { synchronous: 'NORMAL' })
  try {
    seedPendingTasks(db, tasks)
    const store = createTaskStore(db)
    let leases: Lease[] = []
    let completed = 0
    const started = performance.now()
    const cpuAtStart = process.cpuUsage()
    while (completed < tasks) {
      store.transaction(() => {
        const changes: Changes = []
        for (const lease of leases) if (store.complete(lease, 'done', 0, changes)) completed++
        const rows = store.candidates(groupSize + Math.min(groupSize, 16), MAX_ATTEMPTS).slice(0, groupSize)
        leases = store.claimMany(
          rows.map((row) => ({
            row,
            backend: 'bench',
            model: 'noop',
            hold: hold ? { updatedAt: row.updated_at } : null
          })),
          'bench',
          MAX_ATTEMPTS,
          changes
        )
      })
    }
    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuAtStart)
    return { groupSize, hold, tasksPerSec: tasks / seconds, cpuUsPerTask: (cpu.user + cpu.system) / tasks }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
