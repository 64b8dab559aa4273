import type { Db } from '../db/database'
import {
  TASK_ERROR_TYPES,
  type TaskCounters,
  type TaskErrorType,
  type TaskStatus
} from '../../shared/contract/tasks-contract'
import { percentile } from './percentile'

const DAY_MS = 86_400_000

/**
 * The task queue's counters, as the Tasks view, the tray and /metrics show
 * them. Each figure reads one index; none scans the table.
 */
export function createTaskCounters(db: Db, now: () => number): () => TaskCounters {
  // Each count reads one partial index (migration 0010); INDEXED BY makes a plan that would scan the table an error instead.
  const countClaimable = db.prepare(
    "SELECT status, COUNT(*) AS n FROM tasks INDEXED BY tasks_claimable WHERE status IN ('pending', 'failed') GROUP BY status"
  )
  const countRunning = db
    .prepare("SELECT COUNT(*) FROM tasks INDEXED BY tasks_running WHERE status = 'in_progress'")
    .pluck()
  const countDeferred = db
    .prepare("SELECT COUNT(*) FROM tasks INDEXED BY tasks_deferred WHERE status = 'deferred_to_human'")
    .pluck()
  const countCancelled = db
    .prepare("SELECT COUNT(*) FROM tasks INDEXED BY tasks_cancelled WHERE status = 'cancelled'")
    .pluck()
  // Only a completion sets completed_at and nothing clears it, so the tasks that have it are the completed ones.
  const countCompleted = db
    .prepare('SELECT COUNT(*) FROM tasks INDEXED BY tasks_completed WHERE completed_at IS NOT NULL')
    .pluck()
  const deferredByType = db.prepare(
    "SELECT error_type, COUNT(*) AS n FROM task_events WHERE kind = 'deferred' GROUP BY error_type"
  )
  const completedSince = db
    .prepare('SELECT COUNT(*) FROM tasks INDEXED BY tasks_completed WHERE completed_at >= ?')
    .pluck()
  const latencySince = db
    .prepare(
      'SELECT backend, model, latency_ms FROM tasks INDEXED BY tasks_completed WHERE completed_at >= ? AND latency_ms IS NOT NULL'
    )
    .raw()

  return (): TaskCounters => {
    const byStatus: Record<TaskStatus, number> = {
      pending: 0,
      failed: 0,
      in_progress: countRunning.get() as number,
      deferred_to_human: countDeferred.get() as number,
      cancelled: countCancelled.get() as number,
      completed: countCompleted.get() as number
    }
    for (const r of countClaimable.all() as { status: 'pending' | 'failed'; n: number }[]) byStatus[r.status] = r.n
    const deferredByErrorType = Object.fromEntries(TASK_ERROR_TYPES.map((t) => [t, 0])) as Record<TaskErrorType, number>
    let deferredToHumanTotal = 0
    for (const r of deferredByType.all() as { error_type: TaskErrorType | null; n: number }[]) {
      deferredToHumanTotal += r.n
      deferredByErrorType[r.error_type ?? 'other'] += r.n
    }
    const windowStart = now() - 5 * 60_000
    const recent = completedSince.get(windowStart) as number
    const latencyRows = latencySince.all(now() - DAY_MS) as [string | null, string | null, number][]
    const groups = new Map<string, { backend: string; model: string; values: number[] }>()
    for (const [rowBackend, rowModel, latencyMs] of latencyRows) {
      const backend = rowBackend ?? 'unknown'
      const model = rowModel ?? 'unknown'
      const key = `${backend}\u0000${model}`
      const group = groups.get(key) ?? { backend, model, values: [] }
      group.values.push(latencyMs)
      groups.set(key, group)
    }
    for (const group of groups.values()) group.values.sort((a, b) => a - b)
    return {
      byStatus,
      deferredToHumanTotal,
      deferredByErrorType,
      completionsPerMinute: recent / 5,
      latency: [...groups.values()].map((g) => ({
        backend: g.backend,
        model: g.model,
        count: g.values.length,
        p50Ms: percentile(g.values, 0.5),
        p90Ms: percentile(g.values, 0.9),
        p99Ms: percentile(g.values, 0.99)
      }))
    }
  }
}
