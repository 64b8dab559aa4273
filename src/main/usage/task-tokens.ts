import type { Db } from '../db/database'

/**
 * One task's tokens as the usage ledger counted them, every model call of it
 * (retries included): `backend` when the model server reported every count,
 * `estimate` when any call had to be estimated. Null when the ledger has no
 * call of the task (a task no model answered).
 */
export function taskTokensFrom(db: Db) {
  const sum = db.prepare<[string], { tokens: number; calls: number; estimated: number }>(
    `SELECT COALESCE(SUM(tokens_in + tokens_out), 0) AS tokens, count(*) AS calls,
       COALESCE(SUM(counted IS NOT 'backend'), 0) AS estimated
     FROM model_usage WHERE task_id = ?`
  )
  return (taskId: string): { tokens: number; counted: 'backend' | 'estimate' } | null => {
    const row = sum.get(taskId)
    if (!row || row.calls === 0) return null
    return { tokens: row.tokens, counted: row.estimated === 0 ? 'backend' : 'estimate' }
  }
}
