import type { BudgetAlert, BudgetPeriod, BudgetState, UsageSource } from '../../shared/contract/usage-contract'
import type { Db } from '../db/database'
import type { ChatCompletionInfo } from '../ports/chat-model'
import { dayOf, periodStart } from './budget-period'

export type UsagePurpose = 'answer' | 'classify' | 'decompose' | 'synthesize' | 'board' | 'task'

export interface UsageRecord {
  readonly correlationId: string
  readonly source: UsageSource
  readonly purpose: UsagePurpose
  readonly sessionId?: string | null
  readonly messageId?: string | null
  readonly taskId?: string | null
  /** The expert who answered or ran the task, or 'board' for the board's calls. */
  readonly expertId: string | null
  /** The task's project (its metadata's, else its domain); null for the chat and the board. */
  readonly project?: string | null
  readonly info: ChatCompletionInfo
  /** An answer by an expert (not the lead agent's quick answer): counts towards chat_expert_answer_total unless it fell back. */
  readonly expertAnswer?: boolean
  /** The call gave no answer after spending these tokens (cut, server error, echo, cancelled): counted, and marked. */
  readonly failed?: boolean
}

export interface UsageLedger {
  /** Returns an alert the first time in a budget period that the period's total passes the budget; never again in it. */
  record(record: UsageRecord): BudgetAlert | null
  costOf(info: Pick<ChatCompletionInfo, 'node' | 'tokensIn' | 'tokensOut'>): number
  /** The current period's budget, what it used, and when its alert went out. */
  budget(): BudgetState
}

export interface UsageLedgerDeps {
  readonly pricePer1k: () => number
  /** Tokens per period; 0 turns the alert off. */
  readonly tokenBudget: () => number
  readonly budgetPeriod: () => BudgetPeriod
  /** Whether a node is somewhere else and paid for; this Mac's own nodes cost nothing. */
  readonly isRemoteNode: (node: string) => boolean
  readonly now?: () => Date
}

/**
 * Token, time and cost accounting of every model call: the chat's, the
 * board's, and the task runs' (the worker's, workflows' included), in one
 * table, so a total or a budget covers all the load.
 */
export function createUsageLedger(db: Db, deps: UsageLedgerDeps): UsageLedger {
  const now = deps.now ?? (() => new Date())
  const insert = db.prepare(`INSERT INTO model_usage
    (correlation_id, source, purpose, session_id, message_id, task_id, expert_id, project, node, model,
     tokens_in, tokens_out, counted, duration_ms, cost, fell_back, expert_answer, failed, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const tokensSince = db.prepare<[string], { tokens: number }>(
    'SELECT COALESCE(SUM(tokens_in + tokens_out), 0) AS tokens FROM model_usage WHERE created_at >= ?'
  )
  const markAlerted = db.prepare<[string, number, number, string]>(
    'INSERT OR IGNORE INTO usage_budget_alerts (period, tokens, budget, sent_at) VALUES (?, ?, ?, ?)'
  )
  const alertOf = db.prepare<[string], { sent_at: string }>('SELECT sent_at FROM usage_budget_alerts WHERE period = ?')

  const costOf: UsageLedger['costOf'] = (info) =>
    deps.isRemoteNode(info.node) ? ((info.tokensIn + info.tokensOut) / 1000) * deps.pricePer1k() : 0

  // The period's total, kept as calls are counted, so counting one does not sum the whole period again.
  let running: { key: string; used: number } | null = null

  const budget = (): BudgetState => {
    const period = deps.budgetPeriod()
    const start = periodStart(period, now())
    const key = `${period}:${dayOf(start)}`
    const used = tokensSince.get(start.toISOString())?.tokens ?? 0
    running = { key, used }
    return state(period, start, used)
  }

  const state = (period: BudgetPeriod, start: Date, used: number): BudgetState => {
    const tokens = deps.tokenBudget()
    return {
      period,
      start: dayOf(start),
      budget: tokens,
      used,
      exceeded: tokens > 0 && used > tokens,
      alertedAt: alertOf.get(`${period}:${dayOf(start)}`)?.sent_at ?? null
    }
  }

  return {
    costOf,
    budget,
    record(r) {
      const at = now()
      const { info } = r
      insert.run(
        r.correlationId,
        r.source,
        r.purpose,
        r.sessionId ?? null,
        r.messageId ?? null,
        r.taskId ?? null,
        r.expertId,
        r.project ?? null,
        info.node,
        info.model,
        info.tokensIn,
        info.tokensOut,
        info.counted,
        Math.round(info.durationMs),
        costOf(info),
        info.fellBack ? 1 : 0,
        r.expertAnswer ? 1 : 0,
        r.failed ? 1 : 0,
        at.toISOString()
      )
      const period = deps.budgetPeriod()
      const start = periodStart(period, at)
      const key = `${period}:${dayOf(start)}`
      if (running?.key === key) running.used += info.tokensIn + info.tokensOut
      else running = { key, used: tokensSince.get(start.toISOString())?.tokens ?? 0 }
      const limit = deps.tokenBudget()
      if (limit <= 0 || running.used <= limit) return null
      // The row makes it once per period, across restarts and across processes sharing the database.
      if (markAlerted.run(key, running.used, limit, at.toISOString()).changes === 0) return null
      return { period, start: dayOf(start), tokens: running.used, budget: limit }
    }
  }
}
