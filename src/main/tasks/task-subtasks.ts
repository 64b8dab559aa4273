import type { Db } from '../db/database'
import type { Subtask } from '../../shared/contract/tasks-contract'

/** A task's subtasks, oldest first, for its detail: one indexed read (tasks_parent). */
export function subtasksReader(db: Db): (parentId: string) => Subtask[] {
  const children = db.prepare<[string], Subtask>(
    'SELECT id, title, status FROM tasks WHERE parent_task_id = ? ORDER BY created_at, id'
  )
  return (parentId) => children.all(parentId)
}
