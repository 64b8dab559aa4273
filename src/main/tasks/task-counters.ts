import type { Db } from '../db/database'
import {
  TASK_ERROR_TYPES,
  type TaskCounters,
  type TaskErrorType,
  type TaskStatusCounts
} from '../../shared/contract/tasks-contract'
import { percentile } from './percentile'

const DAY_MS = 86_400_000
/**
 * Latency percentiles are taken over at most this many of the day's completions, the newest: read whole, a busy day
 * (300,000 completions) took 260 ms of the main thread at every Overview sample and /metrics scrape.
 */
export const LATENCY_SAMPLE = 10_000

/**
 * The task queue's counters, as the Tasks view, the tray and /metrics show them: the counts by status as
 * migration 0013's table keeps them, the rest from one index each, none read further than its window.
 */
export function createTaskCounters(
  db: Db,
  now: () => number,
  statusCounts: () => TaskStatusCounts
): () => TaskCounters {
  const deferredByType = db.prepare(
    "SELECT error_type, COUNT(*) AS n FROM task_events WHERE kind = 'deferred' GROUP BY error_type"
  )
  const completedSince = db
    .prepare('SELECT COUNT(*) FROM tasks INDEXED BY tasks_completed WHERE completed_at >= ?')
    .pluck()
  const latencySince = db
    .prepare(
      `SELECT backend, model, latency_ms FROM tasks INDEXED BY tasks_completed WHERE completed_at >= ? AND latency_ms IS NOT NULL
      ORDER BY completed_at DESC LIMIT ${LATENCY_SAMPLE}`
    )
    .raw()

  return (): TaskCounters => {
    const byStatus = statusCounts()
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
