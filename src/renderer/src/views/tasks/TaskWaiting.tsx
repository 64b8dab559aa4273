import type { ReactNode } from 'react'
import type { TaskSummary } from '../../../../shared/contract/tasks-contract'

/**
 * Why a pending task is not running although it was tried: put back without
 * using an attempt because its model server failed ("waiting: circuit open —
 * …"), or because the app stopped while it ran.
 */
export function TaskWaiting({
  task
}: {
  task: Pick<TaskSummary, 'status' | 'lastError' | 'errorType' | 'attemptCount'>
}): ReactNode {
  if (task.status !== 'pending' || !task.lastError || !task.errorType) return null
  const text = /^waiting/i.test(task.lastError) ? task.lastError : `waiting: ${task.lastError}`
  return (
    <span className="task-waiting" data-testid="task-waiting" title={`${text} (no attempt used for this)`}>
      {` · ${text.charAt(0).toLowerCase()}${text.slice(1)}`}
    </span>
  )
}
