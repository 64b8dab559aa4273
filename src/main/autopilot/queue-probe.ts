import type { Db } from '../db/database'
import { FOR_MODEL_SQL } from '../ports/person-tasks'

/** A task the monitor names as evidence: which one, and since when. */
export interface ProbedTask {
  readonly id: string
  readonly title: string
  /** Milliseconds since the epoch: the last update of a running task, the creation of a pending one. */
  readonly since: number
}

export interface QueueProbe {
  /** Running tasks with no heartbeat, claim or update since `before`, oldest first, and how many there are. */
  stalledRunning(before: number, sample: number): { readonly count: number; readonly oldest: readonly ProbedTask[] }
  /** Tasks still waiting to run (pending, or failed and waiting for a retry) created before `before`, oldest first, and how many. */
  oldPending(before: number, sample: number): { readonly count: number; readonly oldest: readonly ProbedTask[] }
  /** The newest task of `source` (metadata.source) for `expert` that is not finished, if any. */
  openTaskOf(expert: string, source: string): { readonly id: string; readonly status: string } | null
}

/**
 * Reads the queue's ages straight from SQLite through the partial indexes the
 * hot path keeps (running by heartbeat, claimable by creation), so a check of
 * a queue of a million tasks reads only the rows of the states it asks about.
 */
export function createQueueProbe(db: Db): QueueProbe {
  const lastUpdate = 'max(coalesce(heartbeat_at, 0), coalesce(claimed_at, 0), updated_at)'
  const stalledCount = db.prepare(`SELECT count(*) AS n FROM tasks WHERE status = 'in_progress' AND ${lastUpdate} < ?`)
  const stalledOldest = db.prepare(
    `SELECT id, title, ${lastUpdate} AS since FROM tasks WHERE status = 'in_progress' AND ${lastUpdate} < ? ORDER BY since LIMIT ?`
  )
  // A failed attempt waiting for its retry is still waiting in the queue, as the operators' pending tasks with a retry time were.
  // A person's task (the monitor's own SRE task among them) waits for no worker: counted, it would hold its own alert open.
  const pendingCount = db.prepare(
    `SELECT count(*) AS n FROM tasks INDEXED BY tasks_claimable WHERE status IN ('pending', 'failed') AND created_at < ? AND ${FOR_MODEL_SQL}`
  )
  const pendingOldest = db.prepare(
    `SELECT id, title, created_at AS since FROM tasks INDEXED BY tasks_claimable WHERE status IN ('pending', 'failed') AND created_at < ? AND ${FOR_MODEL_SQL} ORDER BY created_at LIMIT ?`
  )
  const openOf = db.prepare(`SELECT id, status FROM tasks INDEXED BY tasks_expert WHERE assignee_expert = ?
    AND status != 'completed' AND status != 'cancelled' AND json_extract(metadata, '$.source') = ? ORDER BY created_at DESC LIMIT 1`)
  return {
    stalledRunning: (before, sample) => ({
      count: (stalledCount.get(before) as { n: number }).n,
      oldest: stalledOldest.all(before, sample) as ProbedTask[]
    }),
    oldPending: (before, sample) => ({
      count: (pendingCount.get(before) as { n: number }).n,
      oldest: pendingOldest.all(before, sample) as ProbedTask[]
    }),
    openTaskOf: (expert, source) => (openOf.get(expert, source) as { id: string; status: string } | undefined) ?? null
  }
}
