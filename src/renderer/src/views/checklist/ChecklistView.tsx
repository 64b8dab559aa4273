import type { ReactNode } from 'react'
import type { CheckResult, ChecklistRun } from '../../../../shared/contract/checklist-contract'
import { ViewHeader } from '../../components/ViewHeader'
import { checklistModel } from '../../model/checklist/checklist-model'
import { useSelect, useViewModel, useWriteAccess } from '../../model/use-view-model'
import { ReportExport } from './ReportExport'
import './checklist.css'

const AREA_ORDER = ['app', 'database', 'worker', 'models', 'knowledge', 'chat', 'board'] as const
const FIX_LABEL = {
  'restart-ollama': 'Restart Ollama',
  'lower-concurrency': 'Lower concurrency',
  'return-deferred': 'Return deferred tasks',
  're-embed': 'Re-embed the collection',
  'rebuild-search-index': 'Rebuild the search index',
  'raise-timeout': 'Give answers more time'
} as const
const VERDICT_TEXT = { healthy: 'Healthy', warnings: 'Healthy, with warnings', unhealthy: 'Not healthy' } as const

export function ChecklistView(): ReactNode {
  // A read-only window may still run the checks (they read and measure, and change nothing), at the host's limited rate: it says so.
  const runAccess = useWriteAccess('checklist.run')
  const model = useViewModel(checklistModel, undefined)
  const run = useSelect(model, (s) => s.run)
  const history = useSelect(model, (s) => s.history)
  const loaded = useSelect(model, (s) => s.loaded)
  const running = useSelect(model, (s) => s.running)
  const fixing = useSelect(model, (s) => s.fixing)
  const message = useSelect(model, (s) => s.message)
  const error = useSelect(model, (s) => s.error)
  const { report, runAll, fix } = model.getState()

  return (
    <>
      <ViewHeader
        title="Checklist"
        subtitle="Every check the operators used to run by hand, measured by the app itself."
        actions={
          <>
            <ReportExport load={report} disabled={!run} />
            <button
              type="button"
              onClick={() => void runAll()}
              disabled={running || runAccess.blocked}
              title={runAccess.title}
              aria-describedby={runAccess.describedBy}
            >
              {running ? 'Running…' : 'Run all checks'}
            </button>
          </>
        }
      />
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {message && (
        <p className="checklist-message" role="status">
          {message}
        </p>
      )}
      {!loaded && (
        <p className="muted" role="status">
          Reading the last run…
        </p>
      )}
      {loaded && !run && (
        <p className="muted">The checklist has not run yet. It runs at start; Run all checks runs it now.</p>
      )}
      {run && <RunBody run={run} fixing={fixing} onFix={(id) => void fix(id)} />}
      {history.length > 0 && (
        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">Run history</h2>
          <table className="checklist-history">
            <thead>
              <tr>
                <th>Run</th>
                <th>When</th>
                <th>Trigger</th>
                <th>Verdict</th>
                <th>Pass</th>
                <th>Warn</th>
                <th>Fail</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td>#{h.id}</td>
                  <td>{new Date(h.startedAt).toLocaleString()}</td>
                  <td>{h.trigger}</td>
                  <td>
                    <span className={`chip chip-${h.verdict}`}>{h.verdict}</span>
                  </td>
                  <td>{h.counts.pass}</td>
                  <td>{h.counts.warn}</td>
                  <td>{h.counts.fail}</td>
                  <td>{h.counts.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  )
}

function RunBody({
  run,
  fixing,
  onFix
}: {
  run: ChecklistRun
  fixing: string | null
  onFix: (id: ChecklistRun['availableFixes'][number]) => void
}): ReactNode {
  const fixAccess = useWriteAccess('checklist.fix')
  const byArea = AREA_ORDER.map((area) => [area, run.results.filter((r) => r.area === area)] as const).filter(
    ([, list]) => list.length > 0
  )
  const canFix = (fix: CheckResult['fix']): fix is ChecklistRun['availableFixes'][number] =>
    fix !== null && run.availableFixes.includes(fix)
  return (
    <>
      <section className={`card verdict verdict-${run.verdict}`} aria-label="Verdict">
        <strong data-testid="checklist-verdict">{VERDICT_TEXT[run.verdict]}</strong>
        <span className="muted">
          Run #{run.id} ({run.trigger}) at {new Date(run.finishedAt).toLocaleString()} —{' '}
          {run.results.filter((r) => r.status === 'pass').length} of {run.results.length} checks pass
        </span>
      </section>
      {run.playbook.length > 0 && (
        <section className="card" aria-labelledby="playbook-title">
          <h2 id="playbook-title">Known failures recognised</h2>
          {run.playbook.map((m) => (
            <article key={m.ruleId} className="playbook-match" data-rule={m.ruleId}>
              <h3>{m.title}</h3>
              <p>
                <strong>Cause.</strong> {m.cause}
              </p>
              <p>
                <strong>Remedy.</strong> {m.remedy}
              </p>
              <details>
                <summary>Evidence ({m.evidence.length})</summary>
                <ul>
                  {m.evidence.map((e, i) => (
                    <li key={i}>
                      <code>{e}</code>
                    </li>
                  ))}
                </ul>
              </details>
              {m.fix && (
                <button
                  type="button"
                  disabled={fixing !== null || fixAccess.blocked}
                  onClick={() => onFix(m.fix!)}
                  title={fixAccess.title}
                  aria-describedby={fixAccess.describedBy}
                >
                  {fixing === m.fix ? 'Fixing…' : FIX_LABEL[m.fix]}
                </button>
              )}
            </article>
          ))}
        </section>
      )}
      {byArea.map(([area, results]) => (
        <section key={area} className="card" aria-label={`Checks: ${area}`}>
          <h2 className="area-title">{area}</h2>
          <ul className="check-list" role="list">
            {results.map((r) => (
              <li key={r.id} className="check-row" data-check={r.id}>
                <span className={`chip chip-${r.status}`} data-testid="check-status">
                  {r.status}
                </span>
                <div className="check-main">
                  <div className="check-title">
                    {r.title} <span className="muted">· {r.severity}</span>
                  </div>
                  <div className="check-evidence">{r.evidence}</div>
                  <details className="check-how">
                    <summary>How it is measured</summary>
                    <p>{r.measures}</p>
                  </details>
                  {r.status !== 'pass' && (
                    <p className="check-remedy">
                      <strong>Remedy.</strong> {r.remedy}
                    </p>
                  )}
                </div>
                {r.status === 'fail' && canFix(r.fix) && (
                  <button
                    type="button"
                    disabled={fixing !== null || fixAccess.blocked}
                    onClick={() => onFix(r.fix as ChecklistRun['availableFixes'][number])}
                    title={fixAccess.title}
                    aria-describedby={fixAccess.describedBy}
                  >
                    {FIX_LABEL[r.fix as keyof typeof FIX_LABEL]}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  )
}
