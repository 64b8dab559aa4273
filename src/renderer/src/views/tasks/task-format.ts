import type { TaskStatus } from '../../../../shared/contract/tasks-contract'

export const STATUS_LABEL: Readonly<Record<TaskStatus, string>> = {
  pending: 'Pending',
  in_progress: 'Running',
  completed: 'Completed',
  failed: 'Waiting to retry',
  deferred_to_human: 'Manual review',
  cancelled: 'Cancelled'
}

export const OPEN_STATUSES: ReadonlySet<TaskStatus> = new Set(['pending', 'in_progress', 'failed', 'deferred_to_human'])

export function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—'
}
