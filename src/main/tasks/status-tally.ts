import type { Db } from '../db/database'
import type { TaskStatus } from '../../shared/contract/tasks-contract'

/**
 * Keeps migration 0013's counts by status through every status change the
 * task store makes (creates and deletes keep their triggers). A trigger on
 * each change cost SQLite a sub-program with copies of the old and new row,
 * twice per quick task (its claim and its completion): a quarter of the
 * task's SQL. Inside the store's transaction (`deferred`) the changes are
 * summed and written once, at its end, one statement per status whose count
 * moved; anywhere else each change is written at once, as the trigger did.
 *
 * Every statement that changes a task's status names the status it leaves
 * in its WHERE clause, so a move is told only for a row it really changed.
 */
export interface StatusTally {
  /** One task left `from` for `to`. */
  move(from: TaskStatus, to: TaskStatus): void
  /** Runs `fn` with the moves summed, written before it returns; dropped if it throws (its transaction rolls back). */
  deferred<T>(fn: () => T): T
  /** Writes the summed moves now, so a read inside the transaction sees them. */
  flush(): void
}

export function createStatusTally(db: Db): StatusTally {
  const add = db.prepare('UPDATE task_status_counts SET n = n + ? WHERE status = ?')
  const pending = new Map<TaskStatus, number>()
  let deferring = false

  function flush(): void {
    for (const [status, delta] of pending) if (delta !== 0) add.run(delta, status)
    pending.clear()
  }

  return {
    move(from, to) {
      if (from === to) return
      pending.set(from, (pending.get(from) ?? 0) - 1)
      pending.set(to, (pending.get(to) ?? 0) + 1)
      if (!deferring) flush()
    },
    deferred(fn) {
      if (deferring) return fn()
      deferring = true
      try {
        const result = fn()
        flush()
        return result
      } finally {
        deferring = false
        pending.clear()
      }
    },
    flush
  }
}

/**
 * Sets the counts by status to the rows' own, where they differ: a status written by something other
 * than the store (a restored backup, a hand edit, a test's seed) is not told to the tally. Read from
 * the partial indexes each status has, so at a million tasks it is an index count, not a table scan.
 */
export function recountStatuses(db: Db): void {
  const counted = new Map<TaskStatus, number>([
    ['pending', 0],
    ['failed', 0]
  ])
  // Pending and failed in one pass over the index that holds both.
  const claimable = db.prepare(
    "SELECT status, COUNT(*) FROM tasks INDEXED BY tasks_claimable WHERE status IN ('pending', 'failed') GROUP BY status"
  )
  for (const [status, n] of claimable.raw().all() as [TaskStatus, number][]) counted.set(status, n)
  const single: [TaskStatus, string][] = [
    ['in_progress', "SELECT COUNT(*) FROM tasks INDEXED BY tasks_running WHERE status = 'in_progress'"],
    ['deferred_to_human', "SELECT COUNT(*) FROM tasks INDEXED BY tasks_deferred WHERE status = 'deferred_to_human'"],
    ['cancelled', "SELECT COUNT(*) FROM tasks INDEXED BY tasks_cancelled WHERE status = 'cancelled'"],
    // Only a completion sets completed_at, and nothing clears it.
    ['completed', 'SELECT COUNT(*) FROM tasks INDEXED BY tasks_completed WHERE completed_at IS NOT NULL']
  ]
  for (const [status, sql] of single) counted.set(status, db.prepare(sql).pluck().get() as number)
  const stored = db.prepare('SELECT n FROM task_status_counts WHERE status = ?').pluck()
  const set = db.prepare(
    'INSERT INTO task_status_counts (status, n) VALUES (?, ?) ON CONFLICT (status) DO UPDATE SET n = excluded.n'
  )
  for (const [status, n] of counted) if (stored.get(status) !== n) set.run(status, n)
}
