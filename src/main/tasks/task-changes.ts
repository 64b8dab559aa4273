import type { Db } from '../db/database'
import {
  TASK_STATUSES,
  type TaskEvent,
  type TaskStatus,
  type TaskStatusCounts,
  type TasksChanged
} from '../../shared/contract/tasks-contract'
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './task-row'

/** Tasks by status, from the six rows migration 0013's triggers keep current. */
export function createStatusCounts(db: Db): () => TaskStatusCounts {
  const select = db.prepare('SELECT status, n FROM task_status_counts').raw()
  return () => {
    const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>
    for (const [status, n] of select.all() as [TaskStatus, number][]) counts[status] = n
    return counts
  }
}

/**
 * What a committed write changed, as `tasks.changed` pushes it: each task it
 * touched once, as a list row shows it now, and the counts by status. Read
 * inside the write's transaction, so it is exactly that write's result.
 */
export function createChangeReader(
  db: Db,
  counts: () => TaskStatusCounts
): (changes: readonly TaskEvent[]) => TasksChanged {
  const selectTask = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tasks WHERE id = ?`)
  return (changes) => {
    const ids = new Set<string>()
    for (const change of changes) ids.add(change.taskId)
    const tasks = []
    for (const id of ids) {
      const row = selectTask.get(id) as SummaryRow | undefined
      if (row) tasks.push(toSummary(row))
    }
    return { tasks, counts: counts() }
  }
}
