import { z } from 'zod'
import type { Db } from '../db/database'

export type ValidationOutcome = 'passed' | 'failed' | 'unjudged'

export interface StoredValidation {
  readonly taskId: string | null
  readonly kind: string
  readonly outcome: ValidationOutcome
  readonly score: number | null
  readonly reasons: readonly string[]
  readonly model: string | null
  readonly at: string
}

export interface ValidationCounts {
  readonly passed: number
  readonly failed: number
  readonly unjudged: number
}

const Reasons = z.array(z.string())

/** The validator's verdicts, one row each, for the task detail and the counts of unjudged results. */
export function createValidationStore(db: Db, now: () => number = Date.now) {
  const insert = db.prepare(
    'INSERT INTO validations (task_id, kind, outcome, score, reasons, model, at) VALUES (?, ?, ?, ?, ?, ?, ?)'
  )
  const ofTask = db.prepare<
    [string],
    {
      kind: string
      outcome: ValidationOutcome
      score: number | null
      reasons: string
      model: string | null
      at: number
    }
  >('SELECT kind, outcome, score, reasons, model, at FROM validations WHERE task_id = ? ORDER BY at, id')
  const counts = db.prepare<[number], { outcome: ValidationOutcome; n: number }>(
    'SELECT outcome, count(*) AS n FROM validations WHERE at >= ? GROUP BY outcome'
  )
  return {
    record(row: Omit<StoredValidation, 'at'>): void {
      insert.run(row.taskId, row.kind, row.outcome, row.score, JSON.stringify(row.reasons), row.model, now())
    },
    ofTask(taskId: string): StoredValidation[] {
      return ofTask.all(taskId).map((r) => ({
        taskId,
        kind: r.kind,
        outcome: r.outcome,
        score: r.score,
        reasons: Reasons.parse(JSON.parse(r.reasons)),
        model: r.model,
        at: new Date(r.at).toISOString()
      }))
    },
    /** Verdicts since `since` (ms), by outcome. */
    counts(since: number): ValidationCounts {
      const out = { passed: 0, failed: 0, unjudged: 0 }
      for (const r of counts.all(since)) out[r.outcome] = r.n
      return out
    }
  }
}

export type ValidationStore = ReturnType<typeof createValidationStore>
