import { useWriteAccess } from '../../model/use-view-model'
import type { ReactNode } from 'react'
import type { ProcessStatus } from '../../../../shared/contract/models-contract'
import { formatTime } from './format'

const STATE_TEXT: Record<ProcessStatus['state'], string> = {
  off: 'Not supervised',
  not_installed: 'Not installed',
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running (started by the app)',
  adopted: 'Running (already running, watched)',
  restarting: 'Restarting',
  needs_attention: 'Needs attention'
}

export function SupervisorPanel({
  processes,
  busy,
  onAction
}: {
  processes: readonly ProcessStatus[]
  busy: string | null
  onAction: (action: 'start' | 'stop' | 'restart', id: string) => void
}): ReactNode {
  const startAccess = useWriteAccess('supervisor.start')
  const stopAccess = useWriteAccess('supervisor.stop')
  const restartAccess = useWriteAccess('supervisor.restart')
  if (processes.length === 0) return <p className="muted">No model server is supervised.</p>
  return (
    <ul className="process-list">
      {processes.map((p) => {
        const pending = busy?.endsWith(`:${p.id}`) ? busy.split(':')[0]?.replace('supervisor.', '') : null
        const level =
          p.state === 'needs_attention' || p.state === 'not_installed'
            ? 'down'
            : p.state === 'running' || p.state === 'adopted'
              ? 'up'
              : 'unknown'
        return (
          <li key={p.id} className="card process-card" aria-label={`${p.label}: ${STATE_TEXT[p.state]}`}>
            <div className="node-head">
              <span className={`state-pill state-${level}`}>{STATE_TEXT[p.state]}</span>
              <div className="node-title">
                <h3>{p.label}</h3>
                <code>{p.command}</code>{' '}
                <span className="muted">
                  · mode {p.mode}
                  {p.pid ? ` · pid ${p.pid}` : ''} · {p.restartsLastHour} restart{p.restartsLastHour === 1 ? '' : 's'}{' '}
                  in the last hour
                </span>
              </div>
              <div className="process-actions">
                <button
                  type="button"
                  onClick={() => onAction('start', p.id)}
                  disabled={
                    busy !== null ||
                    p.state === 'running' ||
                    p.state === 'adopted' ||
                    p.mode === 'off' ||
                    startAccess.blocked
                  }
                  title={startAccess.title}
                  aria-describedby={startAccess.describedBy}
                >
                  {pending === 'start' ? 'Starting…' : 'Start'}
                </button>
                <button
                  type="button"
                  onClick={() => onAction('stop', p.id)}
                  disabled={busy !== null || p.state !== 'running' || stopAccess.blocked}
                  title={stopAccess.title}
                  aria-describedby={stopAccess.describedBy}
                >
                  {pending === 'stop' ? 'Stopping…' : 'Stop'}
                </button>
                <button
                  type="button"
                  onClick={() => onAction('restart', p.id)}
                  disabled={busy !== null || p.mode !== 'manage' || p.state === 'adopted' || restartAccess.blocked}
                  title={restartAccess.title}
                  aria-describedby={restartAccess.describedBy}
                >
                  {pending === 'restart' ? 'Restarting…' : 'Restart'}
                </button>
              </div>
            </div>
            {p.reason && <p className={p.state === 'needs_attention' ? 'field-error' : 'muted'}>{p.reason}</p>}
            {p.warning && <p className="notice">{p.warning}</p>}
            {p.lastFailure && (
              <p className="muted">
                Last known failure ({p.lastFailure.kind.replace(/_/g, ' ')}) at {formatTime(p.lastFailure.at)}:{' '}
                <code>{p.lastFailure.line}</code>
              </p>
            )}
            {p.logTail.length > 0 && (
              <details>
                <summary>Last {p.logTail.length} log lines</summary>
                <pre className="log-tail">{p.logTail.join('\n')}</pre>
                <p className="muted">
                  Full log: <code>{p.logFile}</code>
                </p>
              </details>
            )}
          </li>
        )
      })}
    </ul>
  )
}
