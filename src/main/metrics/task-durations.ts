import { TASK_DURATION_BUCKETS, type TaskDurations } from '../../shared/contract/metrics-contract'
import type { Db } from '../db/database'
import type { HandlersFor } from '../rpc/handler-types'
import type { ModelLatencyRecorder } from './model-latency'

/** Completions younger than this may still be arriving out of order (group commits); they are counted afresh each time. */
const SETTLE_MS = 5000

interface Sums {
  cumulative: number[]
  count: number
  sumMs: number
}

/**
 * The task-duration histogram, counted in SQL over the covering index of completions
 * (completed_at, backend, model, latency_ms), so it agrees with the Tasks view. The first read
 * counts every kept completion; later reads add only those since the last one, so a scrape costs
 * what happened since the previous scrape, not the whole history. Like any histogram's buckets,
 * the totals never go down, also when housekeeping deletes old tasks.
 */
export function taskDurations(db: Db, now: () => number = Date.now): () => TaskDurations {
  const bucketSums = TASK_DURATION_BUCKETS.map((b, i) => `SUM(latency_ms <= ${Math.round(b * 1000)}) AS b${i}`).join(
    ', '
  )
  const select = db.prepare<[number, number], Record<string, number | string | null>>(
    `SELECT COALESCE(backend, '') AS backend, COALESCE(model, '') AS model, ${bucketSums}, COUNT(*) AS n, SUM(latency_ms) AS total_ms
     FROM tasks WHERE completed_at > ? AND completed_at <= ? AND latency_ms IS NOT NULL GROUP BY backend, model`
  )
  const settled = new Map<string, Sums & { backend: string; model: string }>()
  let watermark = -1

  const addInto = (into: Map<string, Sums & { backend: string; model: string }>, from: number, to: number): void => {
    for (const row of select.all(from, to)) {
      const backend = String(row.backend)
      const model = String(row.model)
      const key = JSON.stringify([backend, model])
      const sums = into.get(key) ?? {
        backend,
        model,
        cumulative: TASK_DURATION_BUCKETS.map(() => 0),
        count: 0,
        sumMs: 0
      }
      TASK_DURATION_BUCKETS.forEach(
        (_, i) => (sums.cumulative[i] = (sums.cumulative[i] ?? 0) + Number(row[`b${i}`] ?? 0))
      )
      sums.count += Number(row.n)
      sums.sumMs += Number(row.total_ms ?? 0)
      into.set(key, sums)
    }
  }

  return () => {
    const settledUntil = now() - SETTLE_MS
    if (settledUntil > watermark) {
      addInto(settled, watermark, settledUntil)
      watermark = settledUntil
    }
    const all = new Map([...settled].map(([k, v]) => [k, { ...v, cumulative: [...v.cumulative] }]))
    addInto(all, watermark, Number.MAX_SAFE_INTEGER)
    return {
      buckets: [...TASK_DURATION_BUCKETS],
      series: [...all.values()].map((s) => ({
        backend: s.backend,
        model: s.model,
        cumulative: s.cumulative,
        count: s.count,
        sumSeconds: s.sumMs / 1000
      }))
    }
  }
}

export function metricsHandlers(db: Db, latency: Pick<ModelLatencyRecorder, 'read'>): HandlersFor<'metrics'> {
  const durations = taskDurations(db)
  return { 'metrics.taskDurations': () => durations(), 'metrics.modelLatency': () => latency.read() }
}
