import type { ReactNode } from 'react'
import type { EscalationView, TaskVerification as Verification } from '../../../../shared/contract/validation-contract'
import { useSelect, useViewModel } from '../../model/use-view-model'
import { taskVerificationModel } from '../../model/verification/task-verification-model'
import './verification.css'

const ESCALATION_WORD: Readonly<Record<EscalationView['state'], string>> = {
  consulting: 'The board is looking at it now',
  retry_other_model: 'The board sent it back to run on another model',
  change_approach: 'The board sent it back with a revised instruction',
  give_up: 'The board gave up: a person decides',
  board_unavailable: 'The board could not meet'
}

/** The task's verification on its detail (and so on the manual-review card): the board's view first, then verdicts and tests. */
export function TaskVerification({ taskId }: { taskId: string }): ReactNode {
  const model = useViewModel(taskVerificationModel, taskId)
  const verification = useSelect(model, (s) => s.verification)
  const error = useSelect(model, (s) => s.error)
  if (error) return <p className="muted">Verification could not be read: {error.message}</p>
  if (!verification) return null
  const { verdicts, testRuns, escalations } = verification
  if (verdicts.length + testRuns.length + escalations.length === 0) return null
  return (
    <section className="task-verification" aria-label="Verification">
      {escalations.length > 0 && <Escalations escalations={escalations} />}
      {verdicts.length > 0 && <Verdicts verdicts={verdicts} />}
      {testRuns.length > 0 && <TestRuns runs={testRuns} />}
    </section>
  )
}

function Escalations({ escalations }: { escalations: Verification['escalations'] }): ReactNode {
  return (
    <>
      <h3>The board’s view</h3>
      <ol className="verification-list">
        {escalations.map((e) => (
          <li key={e.round} className={`tv-escalation tv-escalation-${e.state}`}>
            <strong>
              Round {e.round}: {ESCALATION_WORD[e.state]}
              {e.nextModel ? ` (${e.nextModel})` : ''}
            </strong>
            {e.failedModel && <span className="muted"> — after failing on {e.failedModel}</span>}
            {e.boardView && <p className="tv-board-view">{e.boardView}</p>}
            {e.instruction && (
              <p className="tv-board-view">
                <span className="muted">Revised instruction:</span> {e.instruction}
              </p>
            )}
            {e.decisionId && (
              <a href={`#/board/${e.decisionId}`} className="link-button">
                Open the board’s decision
              </a>
            )}
          </li>
        ))}
      </ol>
    </>
  )
}

function Verdicts({ verdicts }: { verdicts: Verification['verdicts'] }): ReactNode {
  return (
    <>
      <h3>Validator</h3>
      <ol className="verification-list">
        {verdicts.map((v, i) => (
          <li key={i} className={`tv-verdict tv-verdict-${v.outcome}`}>
            <strong>
              {v.outcome === 'unjudged'
                ? 'Not judged'
                : `${v.outcome === 'passed' ? 'Passed' : 'Failed'} · score ${v.score?.toFixed(2) ?? '—'}`}
            </strong>{' '}
            <span className="muted">
              {v.kind} rubric{v.model ? ` · ${v.model}` : ''}
            </span>
            <ul>
              {v.reasons.map((r, j) => (
                <li key={j}>{r}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </>
  )
}

function TestRuns({ runs }: { runs: Verification['testRuns'] }): ReactNode {
  return (
    <>
      <h3>Tests</h3>
      <ol className="verification-list">
        {runs.map((r, i) => (
          <li key={i} className={`tv-test tv-test-${r.status}`}>
            <strong>{r.status.replace('_', ' ')}</strong> <code>{r.command}</code>{' '}
            <span className="muted">
              {r.passed !== null ? `${r.passed} passed, ${r.failed ?? 0} failed` : ''}
              {r.coveragePercent !== null ? ` · coverage ${r.coveragePercent}%` : ''} ·{' '}
              {(r.durationMs / 1000).toFixed(1)} s
            </span>
            {r.message && <p>{r.message}</p>}
          </li>
        ))}
      </ol>
    </>
  )
}
