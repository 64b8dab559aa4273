import { randomUUID } from 'node:crypto'
import type {
  Approval,
  ApprovalSkip,
  ApprovalStatus,
  ApprovalVerdictName,
  ApprovalsChanged
} from '../../shared/contract/approvals-contract'
import type { Db } from '../db/database'
import type { ApprovalRequest, Approvals, ApprovalVerdict } from '../ports/approvals'
import type { DecisionLog } from '../ports/decision-log'

interface Row {
  id: string
  run_id: string | null
  task_id: string | null
  step: string | null
  title: string
  reason: string
  correlation_id: string | null
  status: ApprovalStatus
  decided_by: string | null
  note: string | null
  requested_at: number
  decided_at: number | null
}

export interface DecideOutcome {
  readonly decided: Approval[]
  readonly skipped: ApprovalSkip[]
  readonly pending: number
}

export interface ApprovalQueue extends Approvals {
  list(show: 'pending' | 'decided', limit: number): { approvals: Approval[]; pending: number }
  /** One transaction for the whole batch: every named request pending now is decided, or none is. */
  decide(ids: readonly string[] | 'all', verdict: ApprovalVerdictName, by: string, note: string | null): DecideOutcome
  pendingCount(): number
  get(id: string): Approval | null
}

export interface ApprovalQueueDeps {
  readonly db: Db
  /** Told of every write that changed the queue (the windows, the tray's count). */
  readonly changed: (change: ApprovalsChanged) => void
  /** Where each decision is written down; null until the workflow capability's log is there. */
  readonly decisions: DecisionLog | null
  readonly now?: () => number
  readonly onListenerError?: (error: unknown) => void
}

const toIso = (ms: number): string => new Date(ms).toISOString()

function approvalOf(row: Row): Approval {
  return {
    id: row.id,
    runId: row.run_id,
    taskId: row.task_id,
    step: row.step,
    title: row.title,
    reason: row.reason,
    correlationId: row.correlation_id,
    status: row.status,
    decidedBy: row.decided_by,
    note: row.note,
    requestedAt: toIso(row.requested_at),
    decidedAt: row.decided_at === null ? null : toIso(row.decided_at)
  }
}

function verdictOf(row: Row): ApprovalVerdict | null {
  if (row.status === 'pending') return null
  return { status: row.status, by: row.decided_by ?? 'person', note: row.note }
}

/** A request is filed once per workflow run and step, or per task outside a workflow: asking again returns the same id. */
function dedupKeyOf(request: ApprovalRequest): string {
  if (request.runId !== null) return `run:${request.runId}:${request.step ?? ''}`
  if (request.taskId !== null) return `task:${request.taskId}:${request.step ?? ''}`
  return `once:${randomUUID()}`
}

/**
 * The approvals queue in SQLite. Decisions are rows, so a request filed
 * before a restart is decided after it: whoever waits registers onDecided
 * again and hears the verdict then (at once, if it came meanwhile).
 */
export function createApprovalQueue(deps: ApprovalQueueDeps): ApprovalQueue {
  const { db } = deps
  const now = deps.now ?? Date.now
  const listeners = new Map<string, Set<(verdict: ApprovalVerdict) => void>>()
  const insert = db.prepare(`INSERT INTO approvals
    (id, dedup_key, run_id, task_id, step, title, reason, correlation_id, requested_at)
    VALUES (@id, @dedup_key, @run_id, @task_id, @step, @title, @reason, @correlation_id, @requested_at)
    ON CONFLICT (dedup_key) DO NOTHING`)
  const byKey = db.prepare<[string], { id: string }>('SELECT id FROM approvals WHERE dedup_key = ?')
  const byId = db.prepare<[string], Row>('SELECT * FROM approvals WHERE id = ?')
  const pendingRows = db.prepare<[number], Row>(
    "SELECT * FROM approvals WHERE status = 'pending' ORDER BY requested_at, rowid LIMIT ?"
  )
  const decidedRows = db.prepare<[number], Row>(
    "SELECT * FROM approvals WHERE status <> 'pending' ORDER BY decided_at DESC, rowid DESC LIMIT ?"
  )
  const allPendingIds = db.prepare<[], string>("SELECT id FROM approvals WHERE status = 'pending'").pluck()
  const countPending = db.prepare<[], number>("SELECT count(*) FROM approvals WHERE status = 'pending'").pluck()
  const decideOne = db.prepare<[ApprovalStatus, string, string | null, number, string], Row>(
    `UPDATE approvals SET status = ?, decided_by = ?, note = ?, decided_at = ? WHERE id = ? AND status = 'pending' RETURNING *`
  )

  function tell(row: Row): void {
    const verdict = verdictOf(row)
    const waiting = listeners.get(row.id)
    if (!verdict || !waiting) return
    listeners.delete(row.id)
    for (const listener of waiting) {
      try {
        listener(verdict)
      } catch (error) {
        deps.onListenerError?.(error)
      }
    }
  }

  const decideBatch = db.transaction(
    (ids: readonly string[], status: ApprovalStatus, by: string, note: string | null) => {
      const decided: Row[] = []
      const skipped: ApprovalSkip[] = []
      const at = now()
      for (const id of new Set(ids)) {
        const row = decideOne.get(status, by, note, at, id)
        if (row) {
          decided.push(row)
          continue
        }
        const existing = byId.get(id)
        skipped.push({
          id,
          reason: existing ? 'already_decided' : 'not_found',
          status: existing?.status ?? null
        })
      }
      return { decided, skipped }
    }
  )

  /** A person's verdict, or the workflow's when it takes back a request nobody needs any more. */
  function decideAs(
    ids: readonly string[] | 'all',
    verdict: ApprovalVerdictName,
    by: string,
    note: string | null,
    role: 'person' | 'workflow'
  ): DecideOutcome {
    const status: ApprovalStatus = verdict === 'approve' ? 'approved' : 'rejected'
    const targets = ids === 'all' ? (allPendingIds.all() as string[]) : ids
    const { decided, skipped } = decideBatch(targets, status, by, note)
    const pending = countPending.get() as number
    for (const row of decided) {
      deps.decisions?.record({
        runId: row.run_id,
        taskId: row.task_id,
        step: row.step,
        role,
        decision: status,
        kind: 'approval',
        reasons: [note ?? `${status} by ${by}`, `asked: ${row.title}`],
        model: null,
        correlationId: row.correlation_id
      })
      tell(row)
    }
    if (decided.length > 0) deps.changed({ pending, ids: decided.map((r) => r.id) })
    return { decided: decided.map(approvalOf), skipped, pending }
  }

  return {
    request(request) {
      const key = dedupKeyOf(request)
      const id = `apr_${randomUUID().replace(/-/g, '').slice(0, 16)}`
      const filed = insert.run({
        id,
        dedup_key: key,
        run_id: request.runId,
        task_id: request.taskId,
        step: request.step,
        title: request.title,
        reason: request.reason,
        correlation_id: request.correlationId,
        requested_at: now()
      })
      const found = (byKey.get(key) as { id: string }).id
      if (filed.changes > 0) deps.changed({ pending: countPending.get() as number, ids: [found] })
      return found
    },
    onDecided(id, listener) {
      const row = byId.get(id)
      const verdict = row ? verdictOf(row) : null
      if (verdict) {
        listener(verdict)
        return () => undefined
      }
      let waiting = listeners.get(id)
      if (!waiting) listeners.set(id, (waiting = new Set()))
      waiting.add(listener)
      return () => {
        waiting.delete(listener)
        if (waiting.size === 0 && listeners.get(id) === waiting) listeners.delete(id)
      }
    },
    list(show, limit) {
      const rows = show === 'pending' ? pendingRows.all(limit) : decidedRows.all(limit)
      return { approvals: rows.map(approvalOf), pending: countPending.get() as number }
    },
    decide(ids, verdict, by, note) {
      return decideAs(ids, verdict, by, note, 'person')
    },
    withdraw(id, reason) {
      decideAs([id], 'reject', 'workflow', reason, 'workflow')
    },
    pendingCount: () => countPending.get() as number,
    get(id) {
      const row = byId.get(id)
      return row ? approvalOf(row) : null
    }
  }
}
