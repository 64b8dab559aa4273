import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { DecisionRow } from '../../shared/contract/workflows-contract'
import type { Db } from '../db/database'
import { canonicalJson } from '../platform/canonical-json'
import type { DecisionLog, DecisionRecord } from '../ports/decision-log'

interface Row {
  seq: number
  run_id: string | null
  task_id: string | null
  step: string | null
  role: string
  decision: string
  kind: DecisionRow['kind']
  reasons: string
  model: string | null
  correlation_id: string | null
  at: string
}

const Reasons = z.array(z.string())

const toDecision = (row: Row): DecisionRow => ({
  seq: row.seq,
  runId: row.run_id,
  taskId: row.task_id,
  step: row.step,
  role: row.role,
  decision: row.decision,
  kind: row.kind,
  reasons: Reasons.parse(JSON.parse(row.reasons)),
  model: row.model,
  correlationId: row.correlation_id,
  at: row.at
})

export interface DecisionLogStore extends DecisionLog {
  forRun(runId: string): DecisionRow[]
  /** The newest row of a kind about a task (the validator's verdict on it, say), or null. */
  latest(taskId: string, kind: DecisionRow['kind']): DecisionRow | null
  /** One run's rows, or every row, as canonical JSON (sorted keys, no whitespace) with its SHA-256. */
  exportJson(runId?: string): { json: string; sha256: string; count: number }
}

/**
 * The decision log (ports/decision-log.ts) in SQLite: rows are only added,
 * in one sequence, so an export of the same rows always has the same bytes
 * and the same hash, as the checklist's report does.
 */
export function createDecisionLogStore(db: Db, now: () => Date = () => new Date()): DecisionLogStore {
  const insert = db.prepare(`INSERT INTO decision_log
    (run_id, task_id, step, role, decision, kind, reasons, model, correlation_id, at)
    VALUES (@run_id, @task_id, @step, @role, @decision, @kind, @reasons, @model, @correlation_id, @at)`)
  // A run's rows include those recorded about its step tasks without the run id (the worker's validator, the escalation ladder).
  const byRun = db.prepare<{ run: string }, Row>(
    `SELECT * FROM decision_log WHERE run_id = @run
       OR (run_id IS NULL AND task_id IN (SELECT task_id FROM workflow_steps WHERE run_id = @run AND task_id IS NOT NULL))
     ORDER BY seq`
  )
  const latestOfKind = db.prepare<[string, string], Row>(
    'SELECT * FROM decision_log WHERE task_id = ? AND kind = ? ORDER BY seq DESC LIMIT 1'
  )
  const all = db.prepare<[], Row>('SELECT * FROM decision_log ORDER BY seq')

  return {
    record(decision: DecisionRecord): void {
      insert.run({
        run_id: decision.runId,
        task_id: decision.taskId,
        step: decision.step,
        role: decision.role,
        decision: decision.decision,
        kind: decision.kind,
        reasons: JSON.stringify(decision.reasons),
        model: decision.model,
        correlation_id: decision.correlationId,
        at: now().toISOString()
      })
    },
    forRun: (runId) => byRun.all({ run: runId }).map(toDecision),
    latest(taskId, kind) {
      const row = latestOfKind.get(taskId, kind)
      return row ? toDecision(row) : null
    },
    exportJson(runId) {
      const rows = (runId === undefined ? all.all() : byRun.all({ run: runId })).map(toDecision)
      const json = canonicalJson({ format: 'kos-decision-log/1', runId: runId ?? null, decisions: rows })
      return { json, sha256: createHash('sha256').update(json, 'utf8').digest('hex'), count: rows.length }
    }
  }
}
