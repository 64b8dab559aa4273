import { useEffect, useMemo, type ReactNode } from 'react'
import type { DecisionRow, HandoffPackage, RunDetail, RunStep } from '../../../../shared/contract/workflows-contract'
import { decisionStep } from '../../../../shared/decision-step'
import { useWriteAccess } from '../../model/use-view-model'
import { ApplyItem, StepTests, tokensText } from './RunFiles'

const STATUS_TEXT: Record<RunStep['status'], string> = {
  waiting_approval: 'waiting for approval',
  running: 'at work',
  sent_back: 'sent back',
  passed: 'handed on',
  blocked: 'blocked',
  failed: 'failed',
  cancelled: 'cancelled'
}

/** Decision log values are snake_case words ("handed_off", "apply_requested"); a person reads them as words. */
const words = (value: string): string => value.replaceAll('_', ' ')

/** A review step that finished has judged, whatever its verdict: "handed on" beside "send back" read as a contradiction. */
const statusText = (step: RunStep): string =>
  step.kind === 'review' && step.status === 'passed' ? 'reviewed' : STATUS_TEXT[step.status]

function PackageView({ pkg }: { pkg: HandoffPackage }): ReactNode {
  const fields = Object.entries(pkg.fields)
  return (
    <dl className="wf-package">
      <dt>Summary</dt>
      <dd className="pre">{pkg.summary || '—'}</dd>
      {fields.map(([name, value]) => (
        <div key={name} className="wf-field">
          <dt>{name}</dt>
          <dd className="pre">{value}</dd>
        </div>
      ))}
      {pkg.artifacts.length > 0 && (
        <>
          <dt>Artifacts ({pkg.artifacts.length})</dt>
          <dd>
            {pkg.artifacts.map((a, i) => (
              <pre key={i} className="wf-artifact">
                {a}
              </pre>
            ))}
          </dd>
        </>
      )}
      <dt>Open questions</dt>
      <dd>{pkg.openQuestions.length ? pkg.openQuestions.join('; ') : 'None'}</dd>
      <dt>Sources</dt>
      <dd>{pkg.sources.length ? pkg.sources.join('; ') : 'None'}</dd>
    </dl>
  )
}

function StepItem({ step, decisions }: { step: RunStep; decisions: readonly DecisionRow[] }): ReactNode {
  const all = decisions.filter((d) => d.taskId !== null && d.taskId === step.taskId)
  // The tests' row is shown as the step's test outcome; the apply rows belong to the apply entry.
  const tests = all.filter((d) => d.role === 'tests').at(-1)
  const isApply = (d: DecisionRow): boolean =>
    (d.role === 'workflow' && d.kind === 'approval') || (d.step?.endsWith(':apply') ?? false)
  const mine = all.filter((d) => d.role !== 'tests' && !isApply(d))
  return (
    <li
      className={`wf-step status-${step.status}`}
      aria-label={`${step.step}, round ${step.round}: ${statusText(step)}`}
    >
      <div className="wf-step-head">
        <strong>{step.step}</strong>
        <span className="wf-note">
          {step.role} · round {step.round}
          {step.attempt > 1 ? ` · try ${step.attempt}` : ''}
          {step.model ? ` · ${step.model}` : ''} · {tokensText(step)}
        </span>
        <span className={`wf-badge status-${step.status}`}>{statusText(step)}</span>
        {step.verdict && (
          <span className={`wf-badge verdict-${step.verdict === 'accept' ? 'accept' : 'send_back'}`}>
            verdict: {words(step.verdict)}
          </span>
        )}
      </div>
      {step.taskId && (
        <a className="wf-note" href={`#/tasks/${step.taskId}`}>
          task {step.taskId}
        </a>
      )}
      {step.problems.length > 0 && (
        <ul className="wf-problems" aria-label="What came back">
          {step.problems.map((p, i) => (
            <li key={i} className="pre">
              {p}
            </li>
          ))}
        </ul>
      )}
      <StepTests step={step} tests={tests} />
      {step.package && (
        <details open={step.status === 'passed' && step.kind === 'review'}>
          <summary>Package</summary>
          <PackageView pkg={step.package} />
        </details>
      )}
      {mine.length > 0 && (
        <ul className="wf-step-decisions">
          {mine.map((d) => (
            <li key={d.seq}>
              <span className={`wf-badge kind-${d.kind}`}>{words(d.kind)}</span> {d.role}: {words(d.decision)}
              {d.reasons[0] ? ` — ${d.reasons[0]}` : ''}
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}

export function RunTimeline({
  detail,
  exported,
  onCancel,
  onExport,
  onDecideApply
}: {
  detail: RunDetail
  exported: { sha256: string; count: number; json: string } | null
  onCancel: () => void
  onExport: () => void
  onDecideApply: (approvalId: string, verdict: 'approve' | 'reject') => void
}): ReactNode {
  const cancelAccess = useWriteAccess('workflows.runs.cancel')
  const { run, steps, decisions, filed } = detail
  const active = run.status === 'running' || run.status === 'waiting_approval'
  const json = exported?.json ?? null
  const download = useMemo(
    () => (json === null ? null : URL.createObjectURL(new Blob([json], { type: 'application/json' }))),
    [json]
  )
  useEffect(() => () => void (download && URL.revokeObjectURL(download)), [download])
  return (
    <section className="wf-detail" aria-label="Run">
      <div className="wf-detail-head">
        <div>
          <h2>{run.title}</h2>
          <p className="wf-note">
            {run.workflowTitle} · <span className={`wf-badge run-${run.status}`}>{run.status.replace('_', ' ')}</span> ·
            round {run.round} of {run.maxRounds} · {run.tokensUsed.toLocaleString()} of{' '}
            {run.tokenBudget.toLocaleString()} tokens · {run.id}
          </p>
        </div>
        <div className="wf-actions">
          {active && (
            <button type="button" onClick={onCancel} disabled={cancelAccess.blocked} title={cancelAccess.title}>
              Cancel run
            </button>
          )}
          <button type="button" onClick={onExport}>
            Export decision log
          </button>
        </div>
      </div>
      {run.error && (
        <p className={`wf-run-error run-${run.status}`} role="status">
          {run.error}
        </p>
      )}
      {exported && download && (
        <p className="wf-note" aria-label="Decision log export">
          {exported.count} decisions · SHA-256 <code>{exported.sha256}</code> ·{' '}
          <a href={download} download={`decision-log-${run.id}.json`}>
            download JSON
          </a>
        </p>
      )}
      <details className="wf-input">
        <summary>Input</summary>
        <p className="pre">{detail.input}</p>
      </details>
      <ol className="wf-timeline" aria-label="Steps">
        {steps.map((s) => (
          <StepItem key={s.id} step={s} decisions={decisions} />
        ))}
        {detail.apply && (
          <ApplyItem apply={detail.apply} onDecide={(verdict) => onDecideApply(detail.apply!.approvalId, verdict)} />
        )}
      </ol>
      {filed.length > 0 && (
        <p className="wf-filed">
          Filed in the knowledge base:{' '}
          {filed.map((f, i) => (
            <span key={f.id}>
              {i > 0 ? ', ' : ''}
              <a href={`#/knowledge/${f.id}`}>{f.title}</a>
            </span>
          ))}
        </p>
      )}
      <h3>Decision log</h3>
      {decisions.length === 0 ? (
        <p className="wf-note">No decision yet: the first is written when the first step hands on its package.</p>
      ) : (
        <table className="wf-decisions" aria-label="Decision log">
          <thead>
            <tr>
              <th>Time</th>
              <th>Step</th>
              <th>Role</th>
              <th>Kind</th>
              <th>Decision</th>
              <th>Reasons</th>
              <th>Model</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((d) => (
              <tr key={d.seq}>
                <td>{new Date(d.at).toLocaleTimeString()}</td>
                <td>{decisionStep(d, steps) ?? '—'}</td>
                <td>{d.role}</td>
                <td>{words(d.kind)}</td>
                <td>{words(d.decision)}</td>
                <td className="pre">{d.reasons.join('\n')}</td>
                <td>{d.model ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
