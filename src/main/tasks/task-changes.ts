import type { Db } from '../db/database'
import {
  TASK_STATUSES,
  type TaskEvent,
  type TaskStatus,
  type TaskStatusCounts,
  type TasksChanged
} from '../../shared/contract/tasks-contract'
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './task-row'

/** Tasks by status, from the six rows of migration 0013 (kept by its create and delete triggers and by status-tally.ts). */
export function createStatusCounts(db: Db): () => TaskStatusCounts {
  const select = db.prepare('SELECT status, n FROM task_status_counts').raw()
  return () => {
    const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>
    for (const [status, n] of select.all() as [TaskStatus, number][]) counts[status] = n
    return counts
  }
}

/** Records, for an event, its task's list row as the write that made the event left it (from that write's RETURNING). */
export type RememberRow = (event: TaskEvent, row: SummaryRow) => void

/**
 * What a committed write changed, as `tasks.changed` pushes it: each task it
 * touched once, as a list row shows it now, and the counts by status. Read
 * inside the write's transaction, so it is exactly that write's result.
 *
 * The hot writes (a create; claim, complete, fail, release, wait) give their
 * row as they leave it, and `remember` keeps it with their event: a task whose last event in the
 * group carries its row is not read again, which halves the reads of a group
 * of quick tasks. Every write that changes a task's list row writes an event
 * (else the task would not be described at all), so the row kept with its
 * last event is its state at commit.
 */
export function createChangeReader(
  db: Db,
  counts: () => TaskStatusCounts
): { describe: (changes: readonly TaskEvent[]) => TasksChanged; remember: RememberRow } {
  const selectTask = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tasks WHERE id = ?`)
  const rows = new WeakMap<TaskEvent, SummaryRow>()
  return {
    remember: (event, row) => void rows.set(event, row),
    describe(changes) {
      const last = new Map<string, TaskEvent>()
      // Each task once, in the order it first changed, with its last event.
      for (const change of changes) last.set(change.taskId, change)
      const tasks = []
      for (const [id, change] of last) {
        const row = rows.get(change) ?? (selectTask.get(id) as SummaryRow | undefined)
        if (row) tasks.push(toSummary(row))
      }
      return { tasks, counts: counts() }
    }
  }
}
