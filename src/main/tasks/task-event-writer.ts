import type { Db } from '../db/database'
import type { TaskErrorType, TaskEvent, TaskEventKind, TaskStatus } from '../../shared/contract/tasks-contract'

export type EventWriter = (
  taskId: string,
  kind: TaskEventKind,
  status: TaskStatus,
  attempt: number,
  message: string | null,
  errorType: TaskErrorType | null,
  at: number
) => TaskEvent

/**
 * Writes one task_events row and returns the event as the contract carries
 * it. Times are stored as integer milliseconds (migration 0009) and given out
 * as ISO 8601; a group commit stamps all its rows with one time, so the last
 * conversion is kept.
 */
export function createEventWriter(db: Db): { write: EventWriter; isoOf: (ms: number) => string } {
  const insertEvent = db.prepare(
    'INSERT INTO task_events (task_id, kind, status, attempt, message, error_type, at) VALUES (?, ?, ?, ?, ?, ?, ?)'
  )
  let lastStamp = Number.NaN
  let lastIso = ''
  const isoOf = (ms: number): string => {
    if (ms !== lastStamp) {
      lastStamp = ms
      lastIso = new Date(ms).toISOString()
    }
    return lastIso
  }
  return {
    isoOf,
    write(taskId, kind, status, attempt, message, errorType, at) {
      const seq = Number(insertEvent.run(taskId, kind, status, attempt, message, errorType, at).lastInsertRowid)
      return { seq, taskId, kind, status, attempt, message, errorType, at: isoOf(at) }
    }
  }
}
