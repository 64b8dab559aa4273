import { TASK_ERROR_TYPES, type TaskErrorType } from './contract/tasks-contract'

/** What went wrong with a task, in a person's words: the one wording every view, digest, message and command uses. */
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

const isErrorType = (type: string): type is TaskErrorType => (TASK_ERROR_TYPES as readonly string[]).includes(type)

/**
 * The label of an error type read back as a plain string (a key of counts by type); a task with none is
 * "Other error", and a type this build does not know (a newer database) keeps its own name rather than vanish.
 */
export function errorTypeLabel(type: string | null): string {
  if (type === null) return ERROR_TYPE_LABEL.other
  return isErrorType(type) ? ERROR_TYPE_LABEL[type] : type
}

/** "Model runner terminated ×2, Timeout ×1": counts by error type, most first. */
export function errorTypeCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, n]) => `${errorTypeLabel(type)} ×${n}`)
    .join(', ')
}
