import type { RunApply } from '../../shared/contract/workflows-contract'
import type { Db } from '../db/database'

interface Row {
  run_id: string
  step_id: string
  folder: string
  approval_id: string
  status: RunApply['status']
  message: string | null
  requested_at: string
  decided_at: string | null
}

/** A run's pending or decided write of its accepted files into the real folder. */
export interface StoredApply {
  readonly runId: string
  readonly stepId: string
  readonly folder: string
  readonly approvalId: string
  readonly status: RunApply['status']
  readonly message: string | null
  readonly requestedAt: string
  readonly decidedAt: string | null
}

const toApply = (row: Row): StoredApply => ({
  runId: row.run_id,
  stepId: row.step_id,
  folder: row.folder,
  approvalId: row.approval_id,
  status: row.status,
  message: row.message,
  requestedAt: row.requested_at,
  decidedAt: row.decided_at
})

export function createApplyStore(db: Db, now: () => Date = () => new Date()) {
  const insert = db.prepare(`INSERT INTO workflow_applies (run_id, step_id, folder, approval_id, status, requested_at)
    VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (run_id) DO NOTHING`)
  const byRun = db.prepare<[string], Row>('SELECT * FROM workflow_applies WHERE run_id = ?')
  const settle = db.prepare(
    "UPDATE workflow_applies SET status = ?, message = ?, decided_at = ? WHERE run_id = ? AND status = 'pending'"
  )
  return {
    request(runId: string, stepId: string, folder: string, approvalId: string): void {
      insert.run(runId, stepId, folder, approvalId, now().toISOString())
    },
    get(runId: string): StoredApply | null {
      const row = byRun.get(runId)
      return row ? toApply(row) : null
    },
    /** Decides a pending apply; false when it was decided already (a second listener, a race with cancel). */
    settle(runId: string, status: Exclude<RunApply['status'], 'pending'>, message: string | null): boolean {
      return settle.run(status, message, now().toISOString(), runId).changes > 0
    }
  }
}

export type ApplyStore = ReturnType<typeof createApplyStore>
