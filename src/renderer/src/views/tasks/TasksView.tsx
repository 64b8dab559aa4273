import type { ReactNode } from 'react'
import { TASK_STATUSES, type EngineState, type TaskCounters, type TaskStatus, type TaskSummary } from '../../../../shared/contract/tasks-contract'
import { ViewHeader } from '../../components/ViewHeader'
import { useViewStore } from '../../store/use-view-store'
import { CreateTaskForm } from './CreateTaskForm'
import { TaskDetailPanel } from './TaskDetailPanel'
import { ERROR_TYPE_LABEL, STATUS_LABEL } from './task-format'
import { createTasksStore, type TasksState } from './tasks-store'
import { VirtualList } from './VirtualList'
import './tasks.css'

const ROW_HEIGHT = 44
const LIST_HEIGHT = 440

export function TasksView(): ReactNode {
  const s = useViewStore(createTasksStore)

  return (
    <>
      <ViewHeader
        title="Tasks"
        subtitle="Work the corporation does on its own, in the background."
        actions={
          <button type="button" onClick={() => void s.load()} disabled={s.loading}>
            {s.loading ? 'Reading…' : 'Refresh'}
          </button>
        }
      />
      {s.engine && !s.engine.processorConnected && (
        <p className="tasks-banner" role="status">
          No model backend is connected, so no task is being processed: new tasks wait as pending and run once one is.
        </p>
      )}
      {s.engine?.processorConnected && s.engine.waiting && (
        <p className="tasks-banner" role="status" data-testid="tasks-waiting">
          Tasks wait as pending: {s.engine.waiting} They start by themselves once that is resolved; their attempts are not used up meanwhile.
        </p>
      )}
      {s.error && <p className="field-error" role="alert">{s.error.message}</p>}
      <p className="tasks-sr-only" role="status" aria-live="polite">{s.notice ?? ''}</p>
      <Counters counters={s.counters} current={s.filters.status} onPick={(status) => s.setFilters({ status })} />
      <div className="tasks-main">
        <TaskListPanel s={s} />
        {s.detail ? (
          <TaskDetailPanel
            detail={s.detail}
            onCancel={() => void s.cancel(s.detail?.task.id ?? '')}
            onRequeue={() => void s.requeue([s.detail?.task.id ?? ''])}
            onClose={() => void s.select(null)}
          />
        ) : (
          <section className="card task-detail task-detail-empty" aria-label="Task detail">
            <p className="muted">{s.selectedId ? 'Reading the task…' : 'Pick a task in the list to see its description, attempts, errors, events and result.'}</p>
          </section>
        )}
      </div>
      <div className="tasks-lower">
        <ReviewQueue review={s.review} total={s.reviewTotal} onOpen={(id) => void s.select(id)} onRequeue={(ids) => void s.requeue(ids)} />
        <section className="card">
          <CreateTaskForm onCreate={s.create} onOpen={(id) => void s.select(id)} />
        </section>
        <ConcurrencyPanel engine={s.engine} onPause={(paused) => void s.setPaused(paused)} />
      </div>
    </>
  )
}

function Counters({ counters, current, onPick }: { counters: TaskCounters | null; current: TaskStatus | ''; onPick(status: TaskStatus | ''): void }): ReactNode {
  if (!counters) return <p className="muted" role="status">Reading the counters…</p>
  const total = Object.values(counters.byStatus).reduce((a, b) => a + b, 0)
  return (
    <section className="task-counters" aria-label="Tasks by status">
      <button type="button" className="task-counter" aria-pressed={current === ''} onClick={() => onPick('')}>
        <span className="counter-value" data-count="all">{total}</span>
        <span className="counter-label">All</span>
      </button>
      {TASK_STATUSES.map((status) => (
        <button key={status} type="button" className={`task-counter counter-${status}`} aria-pressed={current === status} onClick={() => onPick(status)}>
          <span className="counter-value" data-count={status}>{counters.byStatus[status]}</span>
          <span className="counter-label">{STATUS_LABEL[status]}</span>
        </button>
      ))}
      <div className="task-counter task-counter-static">
        <span className="counter-value">{counters.completionsPerMinute.toFixed(1)}</span>
        <span className="counter-label">Completed / min</span>
      </div>
      <div className="task-counter task-counter-static">
        <span className="counter-value">{counters.deferredToHumanTotal}</span>
        <span className="counter-label">Ever sent to review</span>
      </div>
    </section>
  )
}

function TaskListPanel({ s }: { s: TasksState }): ReactNode {
  const facets = s.list?.facets ?? { experts: [], domains: [], backends: [] }
  const select = (label: string, id: string, value: string, options: readonly string[], onChange: (v: string) => void, all: string): ReactNode => (
    <div className="task-filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    </div>
  )
  return (
    <section className="card task-list-panel" aria-labelledby="task-list-title">
      <h2 id="task-list-title">{s.filters.status ? STATUS_LABEL[s.filters.status] : 'All tasks'}</h2>
      <div className="task-filters">
        <div className="task-filter task-search">
          <label htmlFor="task-search">Search</label>
          <input id="task-search" type="search" placeholder="Title, description or id" value={s.filters.search} onChange={(e) => s.setFilters({ search: e.target.value })} />
        </div>
        {select('Status', 'task-filter-status', s.filters.status, TASK_STATUSES, (v) => s.setFilters({ status: v as TaskStatus | '' }), 'any status')}
        {select('Expert', 'task-filter-expert', s.filters.expert, facets.experts, (v) => s.setFilters({ expert: v }), 'any expert')}
        {select('Domain', 'task-filter-domain', s.filters.domain, facets.domains, (v) => s.setFilters({ domain: v }), 'any domain')}
        {select('Backend', 'task-filter-backend', s.filters.backend, facets.backends, (v) => s.setFilters({ backend: v }), 'any backend')}
      </div>
      {!s.list ? (
        <p className="muted" role="status">Reading tasks…</p>
      ) : s.list.tasks.length === 0 ? (
        <p className="muted task-list-empty">
          {s.list.total === 0 && !s.filters.search && !s.filters.status ? 'No tasks yet. Queue one with the form below.' : 'No task matches these filters.'}
        </p>
      ) : (
        <>
          <p className="muted task-list-count">
            {s.list.total === s.list.tasks.length ? `${s.list.total} task${s.list.total === 1 ? '' : 's'}` : `Newest ${s.list.tasks.length} of ${s.list.total}`}
          </p>
          <VirtualList<TaskSummary>
            items={s.list.tasks}
            rowHeight={ROW_HEIGHT}
            height={Math.min(LIST_HEIGHT, s.list.tasks.length * ROW_HEIGHT + 2)}
            label="Tasks"
            selectedKey={s.selectedId}
            keyOf={(t) => t.id}
            onSelect={(t) => void s.select(t.id)}
            renderRow={(t) => (
              <>
                <span className={`task-status status-${t.status}`}>{STATUS_LABEL[t.status]}</span>
                <span className="task-row-title">{t.title}</span>
                <span className="task-row-meta muted">
                  {t.priority !== 'normal' ? `${t.priority} · ` : ''}
                  {t.assigneeExpert ?? 'unassigned'}
                  {t.domain ? ` · ${t.domain}` : ''}
                  {t.backend ? ` · ${t.backend}` : ''}
                </span>
              </>
            )}
          />
        </>
      )}
    </section>
  )
}

function ReviewQueue({ review, total, onOpen, onRequeue }: { review: readonly TaskSummary[]; total: number; onOpen(id: string): void; onRequeue(ids: readonly string[] | 'all'): void }): ReactNode {
  return (
    <section className="card review-queue" aria-labelledby="review-title">
      <header className="review-head">
        <h2 id="review-title">Manual review ({total})</h2>
        {total > 0 && (
          <button type="button" onClick={() => onRequeue('all')}>
            Return all {total} to autoprocessing
          </button>
        )}
      </header>
      {total === 0 ? (
        <p className="muted">Nothing waits for review. A task lands here when it fails every attempt.</p>
      ) : (
        <ul className="review-list">
          {review.map((t) => (
            <li key={t.id}>
              <div>
                <button type="button" className="link-button" onClick={() => onOpen(t.id)}>{t.title}</button>
                <p className="task-error">
                  {t.errorType && <span className="error-type">{ERROR_TYPE_LABEL[t.errorType]}</span>} {t.lastError ?? 'no error recorded'}
                </p>
              </div>
              <button type="button" onClick={() => onRequeue([t.id])} aria-label={`Return “${t.title}” to autoprocessing`}>
                Return to autoprocessing
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function ConcurrencyPanel({ engine, onPause }: { engine: EngineState | null; onPause: (paused: boolean) => void }): ReactNode {
  if (!engine) return <section className="card" aria-label="Concurrency"><p className="muted">Reading the worker…</p></section>
  const c = engine.concurrency
  return (
    <section className="card concurrency" aria-labelledby="concurrency-title">
      <div className="worker-head">
        <h2 id="concurrency-title">Worker{engine.paused ? ' — paused' : ''}</h2>
        <button type="button" className="secondary" onClick={() => onPause(!engine.paused)}>
          {engine.paused ? 'Resume autoprocessing' : 'Pause autoprocessing'}
        </button>
      </div>
      <p className="concurrency-n">
        <span className="counter-value" data-concurrency>{c.effective}</span> at once <span className="muted">(between {c.floor} and {c.ceiling}; {engine.running} running now)</span>
      </p>
      <p className="muted">{engine.processorConnected ? `State: ${engine.state}. ` : 'No model backend connected. '}Last decision: {c.reason}</p>
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
        <dd>{(c.errorRate * 100).toFixed(0)}%{c.oomRecently ? ', out of memory recently' : ''}</dd>
        <dt>Decided</dt>
        <dd>{new Date(c.at).toLocaleTimeString()}</dd>
      </dl>
    </section>
  )
}
