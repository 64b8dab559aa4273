import { useWriteAccess } from '../../model/use-view-model'
import { useEffect, type ReactNode } from 'react'
import type { ReviewSuggestion } from '../../../../shared/contract/review-contract'
import type { TaskErrorType, TaskSummary } from '../../../../shared/contract/tasks-contract'
import { ReturnChooser } from './ReturnChooser'
import { ReviewRule } from './ReviewRule'
import { selectReturnWith, type ReviewRulesState } from '../../model/tasks/review-rules-model'
import { ERROR_TYPE_LABEL } from '../../../../shared/error-type-label'

/**
 * Manual review grouped by what went wrong: each error type with its
 * playbook rule and "Fix and return" for all its tasks, then the tasks.
 */
export function ReviewByErrorType({
  review,
  rules,
  onOpen,
  onRequeue
}: {
  review: readonly TaskSummary[]
  rules: ReviewRulesState
  onOpen(id: string): void
  onRequeue(ids: readonly string[]): void
}): ReactNode {
  const requeueAccess = useWriteAccess('tasks.requeue')
  const returnAccess = useWriteAccess('review.return')
  // Asked again whenever the tasks in review change (reviewKey is the list's content, not its identity).
  const reviewKey = review.map((t) => `${t.id}@${t.updatedAt}`).join(',')
  const { suggest } = rules
  useEffect(() => {
    void suggest(review.map((t) => t.id))
  }, [reviewKey, suggest])
  const groups = new Map<TaskErrorType | null, TaskSummary[]>()
  for (const t of review) {
    const list = groups.get(t.errorType)
    if (list) list.push(t)
    else groups.set(t.errorType, [t])
  }
  return (
    <div className="review-groups">
      {[...groups].map(([type, tasks]) => {
        const rule = type ? rules.rules?.[type] : undefined
        return (
          <section
            key={type ?? 'none'}
            className="review-group"
            aria-label={type ? ERROR_TYPE_LABEL[type] : 'No error recorded'}
          >
            <h3>
              {type ? <span className="error-type">{ERROR_TYPE_LABEL[type]}</span> : 'No error recorded'}{' '}
              <span className="muted">{tasks.length}</span>
            </h3>
            {rule && type && (
              <ReviewRule
                rule={rule}
                count={tasks.length}
                busy={rules.fixing !== null}
                outcome={rules.outcome?.errorType === type ? rules.outcome : null}
                onFixAndReturn={() =>
                  void rules.fixAndReturn(
                    type,
                    tasks.map((t) => t.id)
                  )
                }
              />
            )}
            <ul className="review-list">
              {tasks.map((t) => {
                const returnWith = selectReturnWith(rules, t)
                const returnError = rules.returnErrors[t.id]
                return (
                  <li key={t.id}>
                    <div>
                      <button type="button" className="link-button" onClick={() => onOpen(t.id)}>
                        {t.title}
                      </button>
                      <p className="task-error">{t.lastError ?? 'no error recorded'}</p>
                      <Suggestion suggestion={rules.suggestions[t.id]} />
                      <ReturnChooser task={t} rules={rules} access={returnAccess} />
                      {returnError && (
                        <p className="field-error" role="alert">
                          Not returned: {returnError}
                        </p>
                      )}
                    </div>
                    <div className="review-actions">
                      {returnWith && (
                        <button
                          type="button"
                          onClick={() => void rules.returnWithSuggestion(t)}
                          aria-label={`${returnWith.label}: “${t.title}”`}
                          disabled={returnAccess.blocked || rules.returning !== null}
                          title={
                            returnAccess.title ??
                            'Runs it next with what is suggested, in place of what it failed with; the change is on its history.'
                          }
                          aria-describedby={returnAccess.describedBy}
                        >
                          {rules.returning === t.id ? 'Returning…' : returnWith.label}
                        </button>
                      )}
                      <button
                        type="button"
                        className={returnWith ? 'secondary' : undefined}
                        onClick={() => onRequeue([t.id])}
                        aria-label={`Return “${t.title}” to autoprocessing`}
                        disabled={requeueAccess.blocked}
                        title={requeueAccess.title}
                        aria-describedby={requeueAccess.describedBy}
                      >
                        {returnWith ? 'Return as it was' : 'Return to autoprocessing'}
                      </button>
                    </div>
                  </li>
                )
              })}
            </ul>
          </section>
        )
      })}
    </div>
  )
}

/** "Try: Coder (its domain is coding) with qwen2.5-coder:7b on Studio (preferred for coding; …)". */
function Suggestion({ suggestion }: { suggestion: ReviewSuggestion | undefined }): ReactNode {
  if (!suggestion) return null
  const { expert, model, noModel } = suggestion
  return (
    <p className="review-suggestion" data-testid="review-suggestion">
      <span className="muted">Suggested:</span>{' '}
      {expert && (
        <>
          expert <strong>{expert.name}</strong> <span className="muted">({expert.why})</span>
        </>
      )}
      {expert && (model ? '; ' : '. ')}
      {model ? (
        <>
          model <strong>{model.model}</strong> on {model.nodeLabel} <span className="muted">({model.why})</span>
        </>
      ) : (
        noModel
      )}
    </p>
  )
}
