import type { ReactNode } from 'react'
import type { EngineState } from '../../../../shared/contract/tasks-contract'
import { healthModel, selectModelServersDown } from '../../model/health/health-model'
import { useSelect, useViewModel, useWriteAccess } from '../../model/use-view-model'
import { workerStatus } from '../../model/tasks/worker-status'

/** `running` comes from the counts by status, which every commit pushes, so it agrees with the Running counter above. */
export function ConcurrencyPanel({
  engine,
  running,
  onPause
}: {
  engine: EngineState | null
  running: number
  onPause: (paused: boolean) => void
}): ReactNode {
  const pauseAccess = useWriteAccess('tasks.pause')
  const health = useViewModel(healthModel, undefined)
  const serversDown = useSelect(health, selectModelServersDown)
  if (!engine)
    return (
      <section className="card" aria-label="Concurrency">
        <p className="muted">Reading the worker…</p>
      </section>
    )
  const c = engine.concurrency
  const status = workerStatus(engine, running, serversDown)
  return (
    <section className="card concurrency" aria-labelledby="concurrency-title">
      <div className="worker-head">
        <h2 id="concurrency-title">
          Worker: <span data-worker-status={status.kind}>{status.label}</span>
        </h2>
        <button
          type="button"
          className="secondary"
          onClick={() => onPause(!engine.paused)}
          disabled={pauseAccess.blocked}
          title={pauseAccess.title}
          aria-describedby={pauseAccess.describedBy}
        >
          {engine.paused ? 'Resume autoprocessing' : 'Pause autoprocessing'}
        </button>
      </div>
      <p className="concurrency-n">
        <span className="counter-value" data-concurrency>
          {c.effective}
        </span>{' '}
        at once{' '}
        <span className="muted">
          (between {c.floor} and {c.ceiling}; {running} in progress now)
        </span>
      </p>
      <p data-testid="worker-status-detail">{status.detail}</p>
      <p className="muted">Last concurrency decision: {c.reason}</p>
      <dl className="facts">
        <dt>CPU load</dt>
        <dd>{c.cpuLoad.toFixed(2)} per core (1.00 = every core busy)</dd>
        <dt>Free memory</dt>
        <dd>{(c.freeMemoryRatio * 100).toFixed(0)}%</dd>
        <dt>Active requests</dt>
        <dd>{c.activeRequests}</dd>
        <dt>Latency</dt>
        <dd>{c.latencyMs === null ? 'no requests yet' : `${Math.round(c.latencyMs)} ms`}</dd>
        <dt>Errors</dt>
        <dd>
          {(c.errorRate * 100).toFixed(0)}%{c.oomRecently ? ', out of memory recently' : ''}
        </dd>
        <dt>Decided</dt>
        <dd>{new Date(c.at).toLocaleTimeString()}</dd>
      </dl>
    </section>
  )
}
