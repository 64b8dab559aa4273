import type { TaskErrorType, TaskStatus } from '../../../../shared/contract/tasks-contract'

export const STATUS_LABEL: Readonly<Record<TaskStatus, string>> = {
  pending: 'Pending',
  in_progress: 'Running',
  completed: 'Completed',
  failed: 'Waiting to retry',
  deferred_to_human: 'Manual review',
  cancelled: 'Cancelled'
}

export const ERROR_TYPE_LABEL: Readonly<Record<TaskErrorType, string>> = {
  timeout: 'Timeout',
  empty_or_short_response: 'Empty or short answer',
  validation_failed: 'Answer failed validation',
  connection_error: 'Connection error',
  oom_or_metal: 'Out of memory (Metal)',
  runner_terminated: 'Model runner terminated',
  stream_interrupted: 'Answer cut off mid-stream',
  echo: 'Echoed the prompt',
  server_error: 'Server error (5xx)',
  interrupted: 'Interrupted by an app crash',
  other: 'Other error'
}

export const OPEN_STATUSES: ReadonlySet<TaskStatus> = new Set(['pending', 'in_progress', 'failed', 'deferred_to_human'])

export function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—'
}
