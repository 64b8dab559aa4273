import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { LATENCY_SAMPLE } from './task-counters'
import { createTaskStore } from './task-store'
import { migratedDb } from './testing/test-engine'
import { taskInsert } from './testing/task-insert'
import { createTaskIds } from './task-id'
import type { Db } from '../db/database'

const HOUR_MS = 3_600_000

/** Completed tasks written straight into the table, as many runs of one model would leave them. */
function complete(db: Db, count: number, at: number, latencyMs: number, backend = 'studio', model = 'qwen'): void {
  const insert =
    db.prepare(`INSERT INTO tasks (id, title, description, priority, priority_rank, status, attempt_count, backend, model,
      dedup_key, created_at, updated_at, completed_at, latency_ms, result)
    VALUES (?, 'done', 'done', 'normal', 1, 'completed', 1, ?, ?, ?, ?, ?, ?, ?, 'answer')`)
  const nextId = createTaskIds()
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = nextId()
      insert.run(id, backend, model, id, at - 1000, at, at + i, latencyMs)
    }
  })()
}

describe('task counters', () => {
  const tempDir = useTempDirs()

  it('takes latency over the newest LATENCY_SAMPLE completions of the day, whatever the day holds', () => {
    const db = migratedDb(tempDir())
    const now = Date.now()
    const store = createTaskStore(db, () => now)
    // Yesterday's slow hour is out of the window; this morning's slow hour is within it but older than the sample.
    complete(db, 500, now - 30 * HOUR_MS, 60_000)
    complete(db, LATENCY_SAMPLE / 2, now - 6 * HOUR_MS, 9_000)
    complete(db, LATENCY_SAMPLE - 200, now - HOUR_MS, 1_200)
    complete(db, 200, now - HOUR_MS / 2, 800, 'studio', 'llama')
    const { latency, byStatus } = store.counters()
    expect(latency).toEqual([
      { backend: 'studio', model: 'llama', count: 200, p50Ms: 800, p90Ms: 800, p99Ms: 800 },
      { backend: 'studio', model: 'qwen', count: LATENCY_SAMPLE - 200, p50Ms: 1_200, p90Ms: 1_200, p99Ms: 1_200 }
    ])
    expect(byStatus.completed).toBe(500 + LATENCY_SAMPLE / 2 + LATENCY_SAMPLE)
  })

  it('counts tasks by status as the rows hold them', () => {
    const db = migratedDb(tempDir())
    const store = createTaskStore(db)
    complete(db, 3, Date.now(), 100)
    const made = store.create(taskInsert({ title: 'pending one', dedupKey: 'pending-one' }))
    expect(made.ok).toBe(true)
    const rows = db.prepare('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status').all() as {
      status: string
      n: number
    }[]
    const { byStatus } = store.counters()
    for (const { status, n } of rows) expect(byStatus[status as keyof typeof byStatus]).toBe(n)
    expect(byStatus).toMatchObject({ pending: 1, completed: 3, in_progress: 0, failed: 0 })
  })
})
