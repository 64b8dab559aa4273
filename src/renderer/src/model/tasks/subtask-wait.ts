import type { Subtask, TaskDetail, TaskEvent, TaskSummary } from '../../../../shared/contract/tasks-contract'

const ENDED = new Set<Subtask['status']>(['completed', 'cancelled'])

/** Where a split task stands with its subtasks, as its detail shows it. */
export interface SubtaskProgress {
  /** "Waiting for 3 of 5 subtasks" while it waits; "5 subtasks, all done" once they have ended. */
  readonly label: string
  readonly waiting: boolean
  /** Subtasks that have not ended (completed or cancelled). */
  readonly open: number
  readonly total: number
  /** Subtasks in manual review: the parent waits on a person for these. */
  readonly inReview: readonly Subtask[]
}

/** Null for a task never split. */
export function subtaskProgress(detail: TaskDetail): SubtaskProgress | null {
  const total = detail.subtasks.length
  if (total === 0) return null
  const open = detail.subtasks.filter((s) => !ENDED.has(s.status)).length
  const inReview = detail.subtasks.filter((s) => s.status === 'deferred_to_human')
  const waiting = open > 0 && (detail.task.status === 'pending' || detail.task.status === 'in_progress')
  const label = waiting
    ? `Waiting for ${open} of ${total} subtask${total === 1 ? '' : 's'}`
    : `${total} subtask${total === 1 ? '' : 's'}, ${open === 0 ? 'all ended' : `${open} still open`}`
  return { label, waiting, open, total, inReview }
}

/**
 * A split task's waits on its subtasks: the decomposer puts it back without
 * an attempt (kind `waiting`, type `other`) while they run. They are its
 * state, not errors: the detail leaves them out of "Last error" and the error
 * history. A wait of another type (a server down) still is one.
 */
export function isSubtaskWait(detail: TaskDetail, event: Pick<TaskEvent, 'kind' | 'errorType'>): boolean {
  return detail.subtasks.length > 0 && event.kind === 'waiting' && event.errorType === 'other'
}

/** True when the task's last error is such a wait (its latest failure-like event is one). */
export function lastErrorIsSubtaskWait(detail: TaskDetail): boolean {
  if (!detail.task.lastError) return false
  const latest = [...detail.events].reverse().find((e) => e.errorType !== null)
  return latest !== undefined && isSubtaskWait(detail, latest)
}

/**
 * The open task's subtasks with these pushed changes applied, or null when
 * none of them is one of its subtasks. A subtask ending changes only the
 * subtask's row, not its parent's, so the parent's "Waiting for 1 of 3"
 * follows its subtasks from the push itself, with no read.
 */
export function subtasksWithChanges(detail: TaskDetail, changed: readonly TaskSummary[]): Subtask[] | null {
  if (detail.subtasks.length === 0) return null
  const byId = new Map(changed.map((t) => [t.id, t]))
  let touched = false
  const subtasks = detail.subtasks.map((s) => {
    const now = byId.get(s.id)
    if (!now || (now.status === s.status && now.title === s.title)) return s
    touched = true
    return { id: s.id, title: now.title, status: now.status }
  })
  return touched ? subtasks : null
}
