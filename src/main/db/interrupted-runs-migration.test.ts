import { expect, it } from 'vitest'
import { TASK_EVENT_KINDS } from '../../shared/contract/tasks-contract'
import { databaseBefore } from './testing/database-before'
import { useTempDirs } from '../test-support/temp-dir'
import { migrate } from './migrations'

const tempDir = useTempDirs()

it('keeps every task and event through the interrupted-runs migration, starts every task at no crashes, and accepts exactly the contract’s event kinds', () => {
  const { db, all } = databaseBefore(tempDir(), 'interrupted_runs')
  db.prepare(
    `INSERT INTO tasks (id, title, description, priority, priority_rank, status, attempt_count, dedup_key, created_at, updated_at)
     VALUES ('t1', 'A task', 'd', 'high', 2, 'pending', 1, 'k', 1, 2), ('t2', 'Another', 'd', 'low', 0, 'completed', 1, 'k2', 3, 4)`
  ).run()
  db.prepare(
    `INSERT INTO task_events (task_id, kind, status, attempt, message, error_type, at) VALUES ('t1', 'created', 'pending', 0, NULL, NULL, 1), ('t1', 'failed', 'failed', 1, 'boom', 'other', 2)`
  ).run()
  const events = () => db.prepare('SELECT * FROM task_events ORDER BY seq').all()
  const before = events()

  expect(migrate(db, all)).toMatchObject({ ok: true })
  expect(events()).toEqual(before)
  expect(db.prepare('SELECT id, interrupted_count FROM tasks ORDER BY id').all()).toEqual([
    { id: 't1', interrupted_count: 0 },
    { id: 't2', interrupted_count: 0 }
  ])
  for (const kind of TASK_EVENT_KINDS)
    db.prepare("INSERT INTO task_events (task_id, kind, status, attempt, at) VALUES ('t1', ?, 'pending', 0, 9)").run(
      kind
    )
  expect(() =>
    db
      .prepare(
        "INSERT INTO task_events (task_id, kind, status, attempt, at) VALUES ('t1', 'exploded', 'pending', 0, 9)"
      )
      .run()
  ).toThrow(/CHECK constraint failed/)
  // Deleting a task still takes its events with it.
  db.prepare("DELETE FROM tasks WHERE id = 't1'").run()
  expect(db.prepare("SELECT COUNT(*) AS n FROM task_events WHERE task_id = 't1'").get()).toEqual({ n: 0 })
  db.close()
})
