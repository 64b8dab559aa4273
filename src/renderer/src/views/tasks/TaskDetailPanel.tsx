import { useNodeName, useWriteAccess } from '../../model/use-view-model'
import type { ReactNode } from 'react'
import type { TaskDetail } from '../../../../shared/contract/tasks-contract'
import { ERROR_TYPE_LABEL } from '../../../../shared/error-type-label'
import { OPEN_STATUSES, STATUS_LABEL, when } from './task-format'
import { TaskTrail } from './TaskTrail'
import { TaskWaiting } from './TaskWaiting'
import { TaskVerification } from '../verification/TaskVerification'
import { TaskSubtasks } from './TaskSubtasks'
import { isSubtaskWait, lastErrorIsSubtaskWait, subtaskProgress } from '../../model/tasks/subtask-wait'

export function TaskDetailPanel({
  detail,
  assignee,
  onCancel,
  onRequeue,
  onClose,
  onOpen
}: {
  detail: TaskDetail
  /** Who the task is assigned to, in words ("Igor, Software engineer"). */
  assignee: string
  onCancel(): void
  onRequeue(): void
  onClose(): void
  /** Opens another task (a subtask) in this panel. */
  onOpen(id: string): void
}): ReactNode {
  const nodeName = useNodeName()
  const cancelAccess = useWriteAccess('tasks.cancel')
  const requeueAccess = useWriteAccess('tasks.requeue')
  const { task, events } = detail
  const failures = events.filter(
    (e) =>
      e.kind === 'failed' ||
      e.kind === 'deferred' ||
      e.kind === 'interrupted' ||
      (e.kind === 'waiting' && !isSubtaskWait(detail, e)) ||
      (e.kind === 'requeued' && e.errorType)
  )
  const subtasks = subtaskProgress(detail)
  return (
    <section className="card task-detail" aria-labelledby="task-detail-title">
      <header className="task-detail-head">
        <h2 id="task-detail-title">{task.title}</h2>
        <span className={`task-status status-${task.status}`}>{STATUS_LABEL[task.status]}</span>
        {subtasks?.waiting ? (
          <span className="task-waiting" data-testid="task-waiting">
            {` · ${subtasks.label.charAt(0).toLowerCase()}${subtasks.label.slice(1)}`}
          </span>
        ) : (
          <TaskWaiting task={task} />
        )}
        <button type="button" className="link-button" onClick={onClose} aria-label="Close the task detail">
          Close
        </button>
      </header>
      <div className="task-detail-actions">
        {OPEN_STATUSES.has(task.status) && (
          <button
            type="button"
            onClick={onCancel}
            disabled={cancelAccess.blocked}
            title={cancelAccess.title}
            aria-describedby={cancelAccess.describedBy}
          >
            Cancel task
          </button>
        )}
        {(task.status === 'deferred_to_human' || task.status === 'failed') && (
          <button
            type="button"
            onClick={onRequeue}
            disabled={requeueAccess.blocked}
            title={requeueAccess.title}
            aria-describedby={requeueAccess.describedBy}
          >
            Return to autoprocessing
          </button>
        )}
      </div>
      <dl className="facts">
        <dt>Id</dt>
        <dd>
          <code>{task.id}</code>
        </dd>
        <dt>Priority</dt>
        <dd>{task.priority}</dd>
        <dt>Domain · expert</dt>
        <dd>
          {task.domain ?? '—'} · {assignee}
        </dd>
        <dt>Backend · model</dt>
        <dd>
          {task.backend
            ? `${nodeName(task.backend)} · ${task.model ?? '?'}`
            : task.preferredBackend
              ? `prefers ${nodeName(task.preferredBackend)}${task.preferredModel ? ` · ${task.preferredModel}` : ''}`
              : 'not yet planned'}
        </dd>
        <dt>Attempts</dt>
        <dd>
          {task.attemptCount}
          {task.nextRetryAfter ? `, next try after ${when(task.nextRetryAfter)}` : ''}
        </dd>
        <dt>Created · updated</dt>
        <dd>
          {when(task.createdAt)} · {when(task.updatedAt)}
        </dd>
        {task.latencyMs !== null && (
          <>
            <dt>Took</dt>
            <dd>{(task.latencyMs / 1000).toFixed(1)} s</dd>
          </>
        )}
      </dl>
      <h3>Description</h3>
      <p className="task-text">{task.description}</p>
      {subtasks && <TaskSubtasks progress={subtasks} subtasks={detail.subtasks} onOpen={onOpen} />}
      {task.lastError && !lastErrorIsSubtaskWait(detail) && (
        <>
          <h3>Last error</h3>
          <p className="task-error">
            {task.errorType && <span className="error-type">{ERROR_TYPE_LABEL[task.errorType]}</span>} {task.lastError}
          </p>
        </>
      )}
      {/* A task that has not run yet has no verdict to read; remounted on each status change, it reads the new one. */}
      {(task.status !== 'pending' || task.attemptCount > 0) && (
        <TaskVerification key={`${task.id}:${task.status}:${task.attemptCount}`} taskId={task.id} />
      )}
      <h3>Error history</h3>
      {failures.length === 0 ? (
        <p className="muted">No failed attempts.</p>
      ) : (
        <ol className="task-errors">
          {failures.map((e) => (
            <li key={e.seq}>
              <span className="muted">
                {when(e.at)},{' '}
                {e.kind === 'interrupted' || e.kind === 'waiting' ? 'no attempt used' : `attempt ${e.attempt}`}:
              </span>{' '}
              {e.errorType && <span className="error-type">{ERROR_TYPE_LABEL[e.errorType]}</span>} {e.message}
            </li>
          ))}
        </ol>
      )}
      <h3>Result</h3>
      {task.result ? <pre className="task-result">{task.result}</pre> : <p className="muted">No result yet.</p>}
      <h3>Events</h3>
      <ol className="task-timeline" aria-label="Events of this task">
        {events.map((e) => (
          <li key={e.seq} className={`event-${e.kind}`}>
            <time dateTime={e.at}>{when(e.at)}</time> <strong>{e.kind}</strong>{' '}
            <span className="muted">attempt {e.attempt}</span>
            {e.message && <span> — {e.message}</span>}
          </li>
        ))}
      </ol>
      {typeof task.metadata.correlationId === 'string' && (
        <TaskTrail key={task.id} correlationId={task.metadata.correlationId} taskId={task.id} />
      )}
    </section>
  )
}
