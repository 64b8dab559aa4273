import type { ReactNode } from 'react'
import type { DecisionRow, RunApply, RunStep } from '../../../../shared/contract/workflows-contract'
import { useWriteAccess } from '../../model/use-view-model'

const APPLY_TEXT: Record<RunApply['status'], string> = {
  pending: 'waiting for your approval',
  applied: 'applied',
  rejected: 'rejected',
  failed: 'not applied',
  cancelled: 'cancelled'
}

/** A step's tokens, saying whether the model server counted them or they are estimated. */
export function tokensText(step: Pick<RunStep, 'tokens' | 'tokensCounted'>): string {
  const n = step.tokens.toLocaleString()
  return step.tokensCounted === 'backend' ? `${n} tokens` : `≈ ${n} tokens (estimated)`
}

/** A code step's test outcome on its scratch copy, and the files it wrote there. */
export function StepTests({ step, tests }: { step: RunStep; tests: DecisionRow | undefined }): ReactNode {
  if (!tests && step.files.length === 0) return null
  const passed = tests?.decision === 'passed'
  return (
    <div className="wf-tests" aria-label="Tests on a copy">
      {tests && (
        <p>
          <span className={`wf-badge ${passed ? 'status-passed' : 'status-failed'}`}>
            tests {tests.decision.replace('_', ' ')}
          </span>{' '}
          {tests.reasons[0]}
        </p>
      )}
      {step.files.length > 0 && (
        <p className="wf-note">
          Tested on a copy of the project, the real folder untouched:{' '}
          {step.files.map((f, i) => (
            <span key={f.path}>
              {i > 0 ? ', ' : ''}
              <code>{f.path}</code> ({f.isNew ? 'new' : 'changed'}, {f.bytes.toLocaleString()} bytes)
            </span>
          ))}
        </p>
      )}
    </div>
  )
}

/** The last entry of a run that wrote code: applying its files to the real folder, decided by a person. */
export function ApplyItem({
  apply,
  onDecide
}: {
  apply: RunApply
  onDecide: (verdict: 'approve' | 'reject') => void
}): ReactNode {
  const access = useWriteAccess('approvals.decide')
  const count = `${apply.files.length} file${apply.files.length === 1 ? '' : 's'}`
  const status = apply.status === 'applied' ? 'passed' : apply.status === 'pending' ? 'waiting_approval' : 'failed'
  return (
    <li className={`wf-step status-${status}`} aria-label={`apply: ${APPLY_TEXT[apply.status]}`}>
      <div className="wf-step-head">
        <strong>apply</strong>
        <span className="wf-note">
          {count} from &quot;{apply.step}&quot; to <code>{apply.folder}</code>
        </span>
        <span className={`wf-badge status-${status}`}>{APPLY_TEXT[apply.status]}</span>
      </div>
      <p className="wf-note">
        {apply.files.map((f, i) => (
          <span key={f}>
            {i > 0 ? ', ' : ''}
            <code>{f}</code>
          </span>
        ))}
      </p>
      {apply.status === 'pending' ? (
        <>
          <p className="wf-note">
            The reviewer accepted the work and its tests passed on a copy of the folder. Nothing is written to the
            folder until you approve; a file changed there since the tests ran is never overwritten.
          </p>
          <div className="wf-apply-actions">
            <button type="button" onClick={() => onDecide('approve')} disabled={access.blocked} title={access.title}>
              Apply {count}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => onDecide('reject')}
              disabled={access.blocked}
              title={access.title}
            >
              Reject
            </button>
            <a href="#/approvals">Open the approvals queue</a>
          </div>
        </>
      ) : (
        apply.message && <p className="pre">{apply.message}</p>
      )}
    </li>
  )
}
