import { expect, it } from 'vitest'
import { TASK_ERROR_TYPES } from '../../shared/contract/tasks-contract'
import { databaseBefore } from './testing/database-before'
import { useTempDirs } from '../test-support/temp-dir'
import { migrate } from './migrations'

const tempDir = useTempDirs()

it('keeps every task, its events and the indexes through the error-type rebuild, and accepts exactly the contract’s error types', () => {
  const { db, through } = databaseBefore(tempDir(), 'task_error_types')
  db.prepare(
    `INSERT INTO tasks (id, title, description, priority, priority_rank, status, error_type, last_error, attempt_count, dedup_key, created_at, updated_at, parent_task_id)
     VALUES ('t1', 'A task', 'd', 'high', 2, 'deferred_to_human', 'oom_or_metal', 'llama runner process has terminated', 3, 'k', 1, 2, NULL),
            ('t2', 'Its subtask', 'd', 'low', 0, 'pending', NULL, NULL, 0, 'k2', 3, 4, 't1')`
  ).run()
  db.prepare(
    `INSERT INTO task_events (task_id, kind, status, attempt, at) VALUES ('t1', 'created', 'pending', 0, 1)`
  ).run()
  const tasks = () => db.prepare('SELECT * FROM tasks ORDER BY id').all()
  const indexes = () =>
    db
      .prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL ORDER BY name"
      )
      .all()
  const before = { tasks: tasks(), indexes: indexes() }

  expect(migrate(db, through)).toMatchObject({ ok: true })
  expect(tasks()).toEqual(before.tasks)
  expect(indexes()).toEqual(before.indexes)
  expect(db.prepare('SELECT COUNT(*) AS n FROM task_events').get()).toEqual({ n: 1 })
  for (const type of TASK_ERROR_TYPES) db.prepare('UPDATE tasks SET error_type = ? WHERE id = ?').run(type, 't1')
  expect(() => db.prepare("UPDATE tasks SET error_type = 'exploded' WHERE id = 't1'").run()).toThrow(
    /CHECK constraint failed/
  )
  db.prepare("DELETE FROM tasks WHERE id = 't1'").run()
  expect(db.prepare("SELECT parent_task_id FROM tasks WHERE id = 't2'").get()).toEqual({ parent_task_id: null })
  db.close()
})
