import { TASK_DURATION_BUCKETS, type TaskDurations } from '../../shared/contract/metrics-contract'
import type { Db } from '../db/database'
import type { HandlersFor } from '../rpc/handler-types'

/**
 * The task-duration histogram, counted in SQL over every completed task still kept, so it agrees
 * with the Tasks view and survives restarts. One pass over the covering index of completions
 * (completed_at, backend, model, latency_ms); nothing is added to the queue's hot path.
 */
export function taskDurations(db: Db): () => TaskDurations {
  const bucketSums = TASK_DURATION_BUCKETS.map((b, i) => `SUM(latency_ms <= ${Math.round(b * 1000)}) AS b${i}`).join(', ')
  const select = db.prepare<[], Record<string, number | string | null>>(
    `SELECT COALESCE(backend, '') AS backend, COALESCE(model, '') AS model, ${bucketSums}, COUNT(*) AS n, SUM(latency_ms) AS total_ms
     FROM tasks WHERE completed_at IS NOT NULL AND latency_ms IS NOT NULL GROUP BY backend, model`
  )
  return () => ({
    buckets: [...TASK_DURATION_BUCKETS],
    series: select.all().map((row) => ({
      backend: String(row.backend),
      model: String(row.model),
      cumulative: TASK_DURATION_BUCKETS.map((_, i) => Number(row[`b${i}`] ?? 0)),
      count: Number(row.n),
      sumSeconds: Number(row.total_ms ?? 0) / 1000
    }))
  })
}

export function metricsHandlers(db: Db): HandlersFor<'metrics'> {
  const durations = taskDurations(db)
  return { 'metrics.taskDurations': () => durations() }
}
