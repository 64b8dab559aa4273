import { useEffect, type ReactNode } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { PageEnd } from '../../components/PageEnd'
import { ViewHeader } from '../../components/ViewHeader'
import { useSelect, useViewModel } from '../../model/use-view-model'
import { workflowsModel } from '../../model/workflows/workflows-model'
import { RunTimeline } from './RunTimeline'
import { StartWorkflowForm } from './StartWorkflowForm'
import './workflows.css'

/** `#/workflows/<run>` opens that run (the chat links here after "Make this a workflow"). */
function runFromHash(): string | null {
  return /^#\/workflows\/([^/?]+)/.exec(location.hash)?.[1] ?? null
}

export function WorkflowsView(): ReactNode {
  const store = useViewModel(workflowsModel, runFromHash())
  const workflows = useSelect(store, (s) => s.workflows)
  const problems = useSelect(store, (s) => s.problems)
  const userFolder = useSelect(store, (s) => s.userFolder)
  const runs = useSelect(store, (s) => s.runs)
  const nextCursor = useSelect(store, (s) => s.nextCursor)
  const selected = useSelect(store, (s) => s.selected)
  const exported = useSelect(store, (s) => s.exported)
  const error = useSelect(store, (s) => s.error)

  useEffect(() => {
    const onHash = (): void => {
      const id = runFromHash()
      if (id) void store.getState().select(id)
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [store])

  return (
    <>
      <ViewHeader
        title="Workflows"
        subtitle="Work handed from role to role, each hand-off checked, every decision written down."
      />
      {error && (
        <p className="wf-error" role="alert">
          {error.message}
        </p>
      )}
      {problems.length > 0 && (
        <section className="card wf-problems-card" aria-label="Workflow files that did not load">
          <h2>Workflow files that did not load</h2>
          {problems.map((p) => (
            <div key={p.file}>
              <code>{p.file}</code>
              <ul>
                {p.problems.map((text, i) => (
                  <li key={i}>{text}</li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
      <div className="wf-layout">
        <div className="wf-side">
          {workflows === null ? (
            <p className="muted" role="status">
              Reading the workflows…
            </p>
          ) : (
            <StartWorkflowForm store={store} workflows={workflows} />
          )}
          {userFolder && (
            <p className="wf-note">
              Add your own: one JSON file per workflow in <code>{userFolder}</code>.
            </p>
          )}
          <h2 className="wf-runs-title">Runs</h2>
          {runs === null ? (
            <p className="muted">Reading the runs…</p>
          ) : runs.length === 0 ? (
            <p className="muted">No runs yet: start one above, or from a chat message.</p>
          ) : (
            <ul className="wf-runs" aria-label="Runs">
              {runs.map((r) => (
                <li key={r.id}>
                  <a
                    href={`#/workflows/${r.id}`}
                    className={`wf-run${selected?.run.id === r.id ? ' current' : ''}`}
                    aria-current={selected?.run.id === r.id ? 'true' : undefined}
                  >
                    <span className="wf-run-title">{r.title}</span>
                    <span className="wf-note">
                      <span className={`wf-badge run-${r.status}`}>{r.status.replace('_', ' ')}</span> {r.workflowId}
                      {r.currentStep ? ` · ${r.currentStep}` : ''} · round {r.round}/{r.maxRounds} ·{' '}
                      {new Date(r.createdAt).toLocaleString()}
                    </span>
                  </a>
                </li>
              ))}
              {nextCursor !== null && (
                <li>
                  <PageEnd
                    more
                    loading={false}
                    label="Show older runs"
                    onMore={() => void store.getState().loadMore()}
                  />
                </li>
              )}
            </ul>
          )}
        </div>
        {selected ? (
          <RunTimeline
            detail={selected}
            exported={exported?.runId === selected.run.id ? exported : null}
            onCancel={() => void store.getState().cancel(selected.run.id)}
            onExport={() => void store.getState().exportLog(selected.run.id)}
            onDecideApply={(approvalId, verdict) =>
              void store.getState().decideApply(selected.run.id, approvalId, verdict)
            }
          />
        ) : (
          <EmptyState
            title="No run open"
            status={runs?.length ? 'Pick a run to see its timeline.' : 'Nothing has run yet.'}
          >
            A run shows each step as it happens: the package it handed on, what was sent back and why, the reviewer’s
            verdict, and every decision with its model and time.
          </EmptyState>
        )}
      </div>
    </>
  )
}
