import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bundledMigrations } from '../db/bundled-migrations'
import { openDatabase, type Db } from '../db/database'
import { migrate } from '../db/migrations'
import { useTempDirs } from '../test-support/temp-dir'
import { taskDurations } from './task-durations'

const tempDir = useTempDirs()

function complete(db: Db, id: string, at: number, latencyMs: number): void {
  db.prepare(
    `INSERT INTO tasks (id, title, description, priority, priority_rank, status, attempt_count, backend, model, latency_ms, dedup_key, created_at, updated_at, completed_at)
     VALUES (?, 't', 'a timed task', 'normal', 1, 'completed', 1, 'ollama-local', 'm', ?, ?, ?, ?, ?)`
  ).run(id, latencyMs, id, at, at, at)
}

describe('the task-duration histogram', () => {
  it('adds only new completions to what it counted, includes the last seconds every time, and never goes down', () => {
    const db = openDatabase(join(tempDir(), 'kos.db'))
    migrate(db, bundledMigrations())
    let now = 1_000_000
    const read = taskDurations(db, () => now)
    complete(db, 'a', now - 60_000, 200)
    complete(db, 'b', now - 1000, 3000)
    expect(read().series[0]).toMatchObject({ count: 2, sumSeconds: 3.2 })
    // Still unsettled when read: counted again, not twice.
    expect(read().series[0]).toMatchObject({ count: 2 })
    now += 10_000
    complete(db, 'c', now - 2000, 700_000)
    const after = read().series[0]
    expect(after).toMatchObject({ count: 3, sumSeconds: 703.2 })
    expect(after?.cumulative.at(-1)).toBe(2)
    db.prepare("DELETE FROM tasks WHERE id = 'a'").run()
    now += 10_000
    expect(read().series[0]?.count).toBe(3)
  })
})
