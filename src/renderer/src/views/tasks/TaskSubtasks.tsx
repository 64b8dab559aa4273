import type { ReactNode } from 'react'
import type { Subtask } from '../../../../shared/contract/tasks-contract'
import type { SubtaskProgress } from '../../model/tasks/subtask-wait'
import { STATUS_LABEL } from './task-format'

/** A split task's subtasks, each opening in the panel: what it waits for, and which need a person. */
export function TaskSubtasks({
  progress,
  subtasks,
  onOpen
}: {
  progress: SubtaskProgress
  subtasks: readonly Subtask[]
  onOpen(id: string): void
}): ReactNode {
  return (
    <section aria-labelledby="task-subtasks-title" data-testid="task-subtasks">
      <h3 id="task-subtasks-title">{progress.label}</h3>
      {progress.waiting && (
        <p className="muted">
          It completes with a synthesis of their results once they have all ended; waiting uses none of its attempts.
          {progress.inReview.length > 0 &&
            ` ${progress.inReview.length === 1 ? 'One is' : `${progress.inReview.length} are`} in manual review: return ${progress.inReview.length === 1 ? 'it' : 'them'} to autoprocessing (or cancel ${progress.inReview.length === 1 ? 'it' : 'them'}) to let it finish.`}
        </p>
      )}
      <ol className="task-subtasks">
        {subtasks.map((s) => (
          <li key={s.id}>
            <span className={`task-status status-${s.status}`}>{STATUS_LABEL[s.status]}</span>{' '}
            <button type="button" className="link-button" onClick={() => onOpen(s.id)}>
              {s.title}
            </button>
          </li>
        ))}
      </ol>
    </section>
  )
}
