import { useWriteAccess } from '../../model/use-view-model'
import type { ReactNode } from 'react'
import type { PlaybookRuleView } from '../../../../shared/contract/checklist-contract'

const FIX_LABEL: Readonly<Record<NonNullable<PlaybookRuleView['fix']>, string>> = {
  'restart-ollama': 'restart Ollama',
  'lower-concurrency': 'lower concurrency',
  'return-deferred': 'return the tasks',
  're-embed': 're-embed the knowledge base',
  'raise-timeout': 'raise the timeout',
  'rebuild-search-index': 'rebuild the search index'
}

/**
 * The playbook rule for the error that sent tasks to manual review: what it
 * means, what fixes it, and one button that runs the fix and returns the
 * `count` affected tasks.
 */
export function ReviewRule({
  rule,
  count,
  busy,
  outcome,
  onFixAndReturn
}: {
  rule: PlaybookRuleView
  count: number
  busy: boolean
  outcome: { ok: boolean; message: string } | null
  onFixAndReturn(): void
}): ReactNode {
  const fixAccess = useWriteAccess('checklist.fix')
  const tasks = `${count} task${count === 1 ? '' : 's'}`
  return (
    <div className="review-rule" data-testid="review-rule" data-rule={rule.ruleId}>
      <p className="review-rule-title">
        <strong>{rule.title}</strong>
      </p>
      <p>
        <span className="muted">Cause:</span> {rule.cause}
      </p>
      <p>
        <span className="muted">Remedy:</span> {rule.remedy}
      </p>
      {rule.byHand && (
        <p className="review-rule-by-hand" data-testid="review-by-hand">
          <span className="muted">Here:</span> {rule.byHand}
        </p>
      )}
      <button
        type="button"
        onClick={onFixAndReturn}
        disabled={busy || fixAccess.blocked}
        title={
          fixAccess.title ??
          (rule.fix
            ? `Runs “${FIX_LABEL[rule.fix]}”, then returns the ${tasks} to autoprocessing`
            : `No one-click fix ${rule.byHand ? 'works here' : 'for this'}; returns the ${tasks} to autoprocessing`)
        }
        aria-describedby={fixAccess.describedBy}
      >
        {busy ? 'Fixing…' : rule.fix ? `Fix (${FIX_LABEL[rule.fix]}) and return ${tasks}` : `Return ${tasks}`}
      </button>
      {outcome && (
        <p className={outcome.ok ? 'review-rule-done' : 'field-error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.message}
        </p>
      )}
    </div>
  )
}
