import type { ReactNode } from 'react'
import type { Approval } from '../../../../shared/contract/approvals-contract'
import { EmptyState } from '../../components/EmptyState'
import { ViewHeader } from '../../components/ViewHeader'
import {
  approvalsModel,
  selectedIds,
  type ApprovalsShow,
  type ApprovalsState,
  type BatchOutcome
} from '../../model/approvals/approvals-model'
import { useSelect, useViewModel, useWriteAccess } from '../../model/use-view-model'
import type { ViewModel } from '../../model/view-model'
import './approvals.css'

type Model = ViewModel<ApprovalsState>

export function ApprovalsView(): ReactNode {
  const model = useViewModel(approvalsModel, undefined)
  const show = useSelect(model, (s) => s.show)
  const pending = useSelect(model, (s) => s.pending)
  const error = useSelect(model, (s) => s.error)
  const lastBatch = useSelect(model, (s) => s.lastBatch)
  return (
    <>
      <ViewHeader
        title="Approvals"
        subtitle="Financial, destructive and external actions wait here for your yes or no. Tick several and decide them as one batch."
      />
      <div className="approvals-tabs" role="tablist" aria-label="Which requests">
        <Tab model={model} value="pending" current={show} label={`Waiting (${pending})`} />
        <Tab model={model} value="decided" current={show} label="Decided" />
      </div>
      {error && (
        <p className="approvals-error" role="alert">
          {error.message}
        </p>
      )}
      {lastBatch && <BatchNote batch={lastBatch} />}
      {show === 'pending' && <BatchBar model={model} />}
      <ApprovalList model={model} />
    </>
  )
}

function Tab({
  model,
  value,
  current,
  label
}: {
  model: Model
  value: ApprovalsShow
  current: ApprovalsShow
  label: string
}): ReactNode {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={current === value}
      className={current === value ? 'approvals-tab active' : 'approvals-tab'}
      onClick={() => void model.getState().setShow(value)}
    >
      {label}
    </button>
  )
}

function BatchNote({ batch }: { batch: BatchOutcome }): ReactNode {
  const word = batch.verdict === 'approve' ? 'Approved' : 'Rejected'
  const skipped = batch.skipped.length
  return (
    <p className="approvals-done" role="status">
      {word} {batch.decided} request{batch.decided === 1 ? '' : 's'}.
      {skipped > 0 && ` ${skipped} had already been decided elsewhere and were left as they were.`}
    </p>
  )
}

function BatchBar({ model }: { model: Model }): ReactNode {
  const pending = useSelect(model, (s) => s.pending)
  const ticked = useSelect(model, (s) => selectedIds(s).length)
  const note = useSelect(model, (s) => s.note)
  const deciding = useSelect(model, (s) => s.deciding)
  const access = useWriteAccess('approvals.decide')
  if (pending === 0) return null
  const off = deciding || access.blocked
  const { decide, setNote } = model.getState()
  return (
    <section className="card approvals-batch" aria-label="Decide as a batch">
      <label className="approvals-note">
        Note for the decision log (optional)
        <input
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.target.value)}
          placeholder="e.g. checked the invoices"
        />
      </label>
      <div className="approvals-buttons">
        <button
          type="button"
          disabled={off || ticked === 0}
          title={access.title}
          onClick={() => void decide('approve', 'selected')}
        >
          Approve {ticked} selected
        </button>
        <button
          type="button"
          className="secondary"
          disabled={off || ticked === 0}
          title={access.title}
          onClick={() => void decide('reject', 'selected')}
        >
          Reject {ticked} selected
        </button>
        <span className="approvals-sep" aria-hidden="true" />
        <button type="button" disabled={off} title={access.title} onClick={() => void decide('approve', 'all')}>
          Approve all {pending}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={off}
          title={access.title}
          onClick={() => void decide('reject', 'all')}
        >
          Reject all {pending}
        </button>
      </div>
    </section>
  )
}

function ApprovalList({ model }: { model: Model }): ReactNode {
  const approvals = useSelect(model, (s) => s.approvals)
  const show = useSelect(model, (s) => s.show)
  const selected = useSelect(model, (s) => s.selected)
  if (approvals === null) return <p className="muted">Reading the approvals queue…</p>
  if (approvals.length === 0)
    return show === 'pending' ? (
      <EmptyState
        title="Nothing waits for approval"
        status="Requests appear here when a workflow step or a policy asks a person first."
      >
        A step that pays, deletes or acts outside the app asks you before it goes on; the tray and `kos approvals` show
        the same queue.
      </EmptyState>
    ) : (
      <p className="muted">No request has been decided yet.</p>
    )
  const allTicked = approvals.every((a) => a.status !== 'pending' || selected.has(a.id))
  return (
    <table className="approvals-table">
      <thead>
        <tr>
          {show === 'pending' && (
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select all waiting requests"
                checked={allTicked}
                onChange={() => model.getState().toggleAll()}
              />
            </th>
          )}
          <th scope="col">Request</th>
          <th scope="col">Why it needs you</th>
          <th scope="col">Where from</th>
          <th scope="col">{show === 'pending' ? 'Asked' : 'Decision'}</th>
        </tr>
      </thead>
      <tbody>
        {approvals.map((a) => (
          <Row key={a.id} approval={a} ticked={selected.has(a.id)} model={model} />
        ))}
      </tbody>
    </table>
  )
}

function Row({ approval: a, ticked, model }: { approval: Approval; ticked: boolean; model: Model }): ReactNode {
  const where = [a.runId && `run ${a.runId}`, a.step && `step ${a.step}`, a.taskId && `task ${a.taskId}`]
    .filter(Boolean)
    .join(' · ')
  return (
    <tr className={ticked ? 'ticked' : undefined}>
      {a.status === 'pending' && (
        <td>
          <input
            type="checkbox"
            aria-label={`Select “${a.title}”`}
            checked={ticked}
            onChange={() => model.getState().toggle(a.id)}
          />
        </td>
      )}
      <td className="approvals-title">{a.title}</td>
      <td>{a.reason}</td>
      <td className="muted">{where || '—'}</td>
      <td>
        {a.status === 'pending' ? (
          <time dateTime={a.requestedAt}>{new Date(a.requestedAt).toLocaleString()}</time>
        ) : (
          <span className={`approvals-status status-${a.status}`}>
            {a.status} by {a.decidedBy ?? 'a person'}
            {a.note ? ` — “${a.note}”` : ''}
          </span>
        )}
      </td>
    </tr>
  )
}
