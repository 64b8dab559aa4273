import { useState, type ReactNode } from 'react'
import { trailModel, trailTokens } from '../../model/trail/trail-model'
import { useNodeName, useSelect, useViewModel } from '../../model/use-view-model'
import { STATUS_LABEL, when } from './task-format'

/**
 * The whole trail of the request that made this task: the chat question, every task it
 * created, each model call and the log lines, all under one correlation id. Folded until
 * asked for: it is read only then, so opening a task costs no extra read.
 */
export function TaskTrail({ correlationId, taskId }: { correlationId: string; taskId: string }): ReactNode {
  const [open, setOpen] = useState(false)
  return (
    <details className="task-trail" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        <h3>Trail</h3>
        <span className="muted small"> the chat question, its tasks, model calls and log lines</span>
      </summary>
      {open && <TrailBody correlationId={correlationId} taskId={taskId} />}
    </details>
  )
}

function TrailBody({ correlationId, taskId }: { correlationId: string; taskId: string }): ReactNode {
  const model = useViewModel(trailModel, correlationId)
  const trail = useSelect(model, (s) => s.trail)
  const error = useSelect(model, (s) => s.error)
  const loading = useSelect(model, (s) => s.loading)
  const refresh = useSelect(model, (s) => s.refresh)
  const nodeName = useNodeName()
  const tokens = trail ? trailTokens(trail) : null
  return (
    <section aria-label="Trail of this request">
      <p className="muted small">
        <button type="button" className="link-button" onClick={() => void refresh()} disabled={loading}>
          {loading ? 'Reading…' : 'Refresh'}
        </button>{' '}
        Correlation id <code>{correlationId}</code> — the same lines:{' '}
        <code>kos logs --correlation {correlationId}</code>
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {trail && (
        <>
          {trail.chat && (
            <p>
              From the chat: <a href={`#/chat/${trail.chat.sessionId}`}>“{trail.chat.question}”</a>
            </p>
          )}
          {trail.tasks.length > 1 && (
            <>
              <h4>Tasks of this request</h4>
              <ul className="trail-tasks">
                {trail.tasks.map((t) => (
                  <li key={t.id} className={t.id === taskId ? 'current' : undefined}>
                    {t.title} <span className={`task-status status-${t.status}`}>{STATUS_LABEL[t.status]}</span>
                    {t.id === taskId && <span className="muted"> (this task)</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h4>
            Model calls: {trail.modelCalls.length}
            {tokens && trail.modelCalls.length > 0
              ? `, ${tokens.tokensIn.toLocaleString()} tokens in, ${tokens.tokensOut.toLocaleString()} out`
              : ''}
          </h4>
          {trail.modelCalls.length > 0 && (
            <ol className="trail-calls">
              {trail.modelCalls.map((c, i) => (
                <li key={i} className={c.taskId === taskId ? 'current' : undefined}>
                  <time dateTime={c.at}>{when(c.at)}</time> {c.source} · {c.purpose} — {c.model} on {nodeName(c.node)},{' '}
                  {c.tokensIn} → {c.tokensOut} tokens, {(c.durationMs / 1000).toFixed(1)} s
                </li>
              ))}
            </ol>
          )}
          <h4>Log lines: {trail.lines.length + trail.omittedLines}</h4>
          {trail.omittedLines > 0 && (
            <p className="muted small">The oldest {trail.omittedLines} are left out here; kos logs prints them all.</p>
          )}
          {trail.lines.length === 0 ? (
            <p className="muted">No log line carries this id (older lines may have been rotated away).</p>
          ) : (
            <ol className="trail-lines" aria-label="Log lines of this request">
              {trail.lines.map((l, i) => (
                <li key={i} className={`log-${l.level}${l.taskId === taskId ? ' current' : ''}`}>
                  <time dateTime={l.at}>{when(l.at)}</time> <strong>{l.msg}</strong>{' '}
                  <span className="muted">{l.detail}</span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  )
}
