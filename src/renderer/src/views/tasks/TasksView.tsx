import { useEffect, type ReactNode } from 'react'
import {
  TASK_STATUSES,
  type TaskCounters,
  type TaskStatus,
  type TaskSummary
} from '../../../../shared/contract/tasks-contract'
import { ViewHeader } from '../../components/ViewHeader'
import { VirtualList } from '../../components/VirtualList'
import { tasksModel, type TasksState } from '../../model/tasks/tasks-model'
import { useNodeName, useSelect, useViewModel, useWriteAccess } from '../../model/use-view-model'
import type { ViewModel } from '../../model/view-model'
import { CreateTaskForm } from './CreateTaskForm'
import { TaskDetailPanel } from './TaskDetailPanel'
import { reviewRulesModel } from '../../model/tasks/review-rules-model'
import { ReviewByErrorType } from './ReviewByErrorType'
import { STATUS_LABEL } from './task-format'
import { TaskWaiting } from './TaskWaiting'
import { ConcurrencyPanel } from './ConcurrencyPanel'
import { assigneeLabel, taskFormModel } from '../../model/task-form/task-form-model'
import type { Expert } from '../../../../shared/contract/chat-contract'
import './tasks.css'

const ROW_HEIGHT = 44
const LIST_HEIGHT = 440

type Model = ViewModel<TasksState>

/** `#/tasks/new` (the palette's New task) opens the form. */
const NEW_TASK_HASH = '#/tasks/new'

export function TasksView(): ReactNode {
  const model = useViewModel(tasksModel, undefined)
  const loading = useSelect(model, (s) => s.loading)
  const engine = useSelect(model, (s) => s.engine)
  const error = useSelect(model, (s) => s.error)
  const notice = useSelect(model, (s) => s.notice)
  const counters = useSelect(model, (s) => s.counters)
  const status = useSelect(model, (s) => s.filters.status)
  const { refresh, setFilters, select, create } = model.getState()
  const form = useViewModel(taskFormModel, { open: location.hash === NEW_TASK_HASH })
  const formOpen = useSelect(form, (s) => s.open)
  const experts = useSelect(form, (s) => s.experts)
  const createAccess = useWriteAccess('tasks.create')

  useEffect(() => {
    const onHash = (): void => {
      if (location.hash === NEW_TASK_HASH) form.getState().show()
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [form])
  const closeForm = (): void => {
    form.getState().hide()
    if (location.hash === NEW_TASK_HASH) history.replaceState(null, '', '#/tasks')
  }

  return (
    <>
      <ViewHeader
        title="Tasks"
        subtitle="Work the corporation does on its own, in the background."
        actions={
          <>
            <button
              type="button"
              onClick={() => form.getState().show()}
              disabled={formOpen || createAccess.blocked}
              title={createAccess.title}
              aria-describedby={createAccess.describedBy}
            >
              New task
            </button>
            <button type="button" className="secondary" onClick={() => void refresh()} disabled={loading}>
              {loading ? 'Reading…' : 'Refresh'}
            </button>
          </>
        }
      />
      {formOpen && (
        <section className="card task-form-card">
          <CreateTaskForm experts={experts} onCreate={create} onOpen={(id) => void select(id)} onClose={closeForm} />
        </section>
      )}
      {engine && !engine.processorConnected && (
        <p className="tasks-banner" role="status">
          No model backend is connected, so no task is being processed: new tasks wait as pending and run once one is.
        </p>
      )}
      {engine?.processorConnected && engine.waiting && (
        <p className="tasks-banner" role="status" data-testid="tasks-waiting">
          Tasks wait as pending: {engine.waiting} They start by themselves once that is resolved; their attempts are not
          used up meanwhile.
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <p className="tasks-sr-only" role="status" aria-live="polite">
        {notice ?? ''}
      </p>
      <Counters counters={counters} current={status} onPick={(picked) => void setFilters({ status: picked })} />
      <div className="tasks-main">
        <TaskListPanel model={model} />
        <DetailPanel model={model} experts={experts} />
      </div>
      <div className="tasks-lower">
        <ReviewPanel model={model} />
        <ConcurrencyPanel
          engine={engine}
          running={counters?.byStatus.in_progress ?? engine?.running ?? 0}
          onPause={(paused) => void model.getState().setPaused(paused)}
        />
      </div>
    </>
  )
}

function DetailPanel({ model, experts }: { model: Model; experts: readonly Expert[] | null }): ReactNode {
  const detail = useSelect(model, (s) => s.detail)
  const selectedId = useSelect(model, (s) => s.selectedId)
  const { cancel, requeue, select } = model.getState()
  if (!detail) {
    return (
      <section className="card task-detail task-detail-empty" aria-label="Task detail">
        <p className="muted">
          {selectedId
            ? 'Reading the task…'
            : 'Pick a task in the list to see its description, attempts, errors, events and result.'}
        </p>
      </section>
    )
  }
  const id = detail.task.id
  return (
    <TaskDetailPanel
      detail={detail}
      assignee={assigneeLabel(detail.task.assigneeExpert, experts)}
      onCancel={() => void cancel(id)}
      onRequeue={() => void requeue([id])}
      onClose={() => void select(null)}
      onOpen={(subtask) => void select(subtask)}
    />
  )
}

function Counters({
  counters,
  current,
  onPick
}: {
  counters: TaskCounters | null
  current: TaskStatus | ''
  onPick(status: TaskStatus | ''): void
}): ReactNode {
  if (!counters)
    return (
      <p className="muted" role="status">
        Reading the counters…
      </p>
    )
  const total = Object.values(counters.byStatus).reduce((a, b) => a + b, 0)
  return (
    <section className="task-counters" aria-label="Tasks by status">
      <button type="button" className="task-counter" aria-pressed={current === ''} onClick={() => onPick('')}>
        <span className="counter-value" data-count="all">
          {total}
        </span>
        <span className="counter-label">All</span>
      </button>
      {TASK_STATUSES.map((status) => (
        <button
          key={status}
          type="button"
          className={`task-counter counter-${status}`}
          aria-pressed={current === status}
          onClick={() => onPick(status)}
        >
          <span className="counter-value" data-count={status}>
            {counters.byStatus[status]}
          </span>
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

function TaskListPanel({ model }: { model: Model }): ReactNode {
  const nodeName = useNodeName()
  const filters = useSelect(model, (s) => s.filters)
  const facets = useSelect(model, (s) => s.facets)
  const list = useSelect(model, (s) => s.list)
  const selectedId = useSelect(model, (s) => s.selectedId)
  const { setFilters, select, loadMore } = model.getState()
  const pick = (
    label: string,
    id: string,
    value: string,
    options: readonly string[],
    onChange: (v: string) => void,
    all: string,
    shown: (option: string) => string = (o) => o
  ): ReactNode => (
    <div className="task-filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {shown(o)}
          </option>
        ))}
      </select>
    </div>
  )
  const filtered =
    filters.search.trim() !== '' ||
    filters.status !== '' ||
    filters.expert !== '' ||
    filters.domain !== '' ||
    filters.backend !== ''
  return (
    <section className="card task-list-panel" aria-labelledby="task-list-title">
      <h2 id="task-list-title">{filters.status ? STATUS_LABEL[filters.status] : 'All tasks'}</h2>
      <div className="task-filters">
        <div className="task-filter task-search">
          <label htmlFor="task-search">Search</label>
          <input
            id="task-search"
            type="search"
            placeholder="Title, description or id"
            value={filters.search}
            onChange={(e) => void setFilters({ search: e.target.value })}
          />
        </div>
        {pick(
          'Status',
          'task-filter-status',
          filters.status,
          TASK_STATUSES,
          (v) => void setFilters({ status: v as TaskStatus | '' }),
          'any status'
        )}
        {pick(
          'Expert',
          'task-filter-expert',
          filters.expert,
          facets.experts,
          (v) => void setFilters({ expert: v }),
          'any expert'
        )}
        {pick(
          'Domain',
          'task-filter-domain',
          filters.domain,
          facets.domains,
          (v) => void setFilters({ domain: v }),
          'any domain'
        )}
        {pick(
          'Backend',
          'task-filter-backend',
          filters.backend,
          facets.backends,
          (v) => void setFilters({ backend: v }),
          'any backend',
          nodeName
        )}
      </div>
      {list.items.length === 0 && list.loading ? (
        <p className="muted" role="status">
          Reading tasks…
        </p>
      ) : list.items.length === 0 ? (
        <p className="muted task-list-empty">
          {filtered ? 'No task matches these filters.' : 'No tasks yet. Queue one with New task, above.'}
        </p>
      ) : (
        <>
          <p className="muted task-list-count">
            {list.total !== null
              ? `${list.total} task${list.total === 1 ? '' : 's'}`
              : `Newest ${list.items.length}; more as you scroll`}
          </p>
          <VirtualList<TaskSummary>
            items={list.items}
            hasMore={list.nextCursor !== null}
            total={list.total}
            onEndReached={loadMore}
            rowHeight={ROW_HEIGHT}
            height={Math.min(LIST_HEIGHT, list.items.length * ROW_HEIGHT + 2)}
            label="Tasks"
            selectedKey={selectedId}
            keyOf={(t) => t.id}
            onSelect={(t) => void select(t.id)}
            renderRow={(t) => (
              <>
                <span className={`task-status status-${t.status}`}>{STATUS_LABEL[t.status]}</span>
                <span className="task-row-title">{t.title}</span>
                <span className="task-row-meta muted">
                  {t.priority !== 'normal' ? `${t.priority} · ` : ''}
                  {t.assigneeExpert ?? 'unassigned'}
                  {t.domain ? ` · ${t.domain}` : ''}
                  {t.backend ? ` · ${nodeName(t.backend)}` : ''}
                  <TaskWaiting task={t} />
                </span>
              </>
            )}
          />
        </>
      )}
    </section>
  )
}

function ReviewPanel({ model }: { model: Model }): ReactNode {
  const review = useSelect(model, (s) => s.review)
  const { select, requeue, loadMoreReview } = model.getState()
  return (
    <ReviewQueue
      review={review.items}
      total={review.total ?? review.items.length}
      more={review.nextCursor !== null}
      onMore={() => void loadMoreReview()}
      onOpen={(id) => void select(id)}
      onRequeue={(ids) => void requeue(ids)}
    />
  )
}

function ReviewQueue({
  review,
  total,
  more,
  onMore,
  onOpen,
  onRequeue
}: {
  review: readonly TaskSummary[]
  total: number
  more: boolean
  onMore(): void
  onOpen(id: string): void
  onRequeue(ids: readonly string[] | 'all'): void
}): ReactNode {
  const requeueAccess = useWriteAccess('tasks.requeue')
  const rulesModel = useViewModel(reviewRulesModel, undefined)
  const rules = useSelect(rulesModel, (r) => r)
  return (
    <section className="card review-queue" aria-labelledby="review-title">
      <header className="review-head">
        <h2 id="review-title">Manual review ({total})</h2>
        {total > 0 && (
          <button
            type="button"
            onClick={() => onRequeue('all')}
            disabled={requeueAccess.blocked}
            title={requeueAccess.title}
            aria-describedby={requeueAccess.describedBy}
          >
            Return all {total} to autoprocessing
          </button>
        )}
      </header>
      {total === 0 ? (
        <p className="muted">Nothing waits for review. A task lands here when it fails every attempt.</p>
      ) : (
        <ReviewByErrorType review={review} rules={rules} onOpen={onOpen} onRequeue={onRequeue} />
      )}
      {more && (
        <button type="button" className="link-button" onClick={onMore}>
          Show more of the {total} tasks in review
        </button>
      )}
    </section>
  )
}
