import type { ChatUsage, UsageRow } from '../../shared/contract/chat-contract'
import type { Db } from '../db/database'
import type { ChatCompletionInfo } from '../ports/chat-model'

export type UsagePurpose = 'answer' | 'classify' | 'decompose' | 'synthesize' | 'board'

export interface UsageRecord {
  readonly correlationId: string
  readonly sessionId: string | null
  readonly messageId: string | null
  /** The expert who answered, or 'board' for the board's calls. */
  readonly expertId: string | null
  readonly purpose: UsagePurpose
  readonly info: ChatCompletionInfo
  /** An answer by an expert (not the lead agent's quick answer): counts towards chat_expert_answer_total unless it fell back. */
  readonly expertAnswer: boolean
}

export interface BudgetAlert {
  readonly day: string
  readonly tokens: number
  readonly budget: number
}

export interface UsageCounters {
  readonly expertAnswers: number
  readonly fallbacks: number
  readonly fallbackRatio24h: number | null
}

export interface UsageLedger {
  /** Returns an alert the first time a record takes the day over its budget. */
  record(record: UsageRecord): BudgetAlert | null
  costOf(info: ChatCompletionInfo): number
  counters(): UsageCounters
  summary(days: number, labels: { expert(id: string): string }): ChatUsage
}

export interface UsageLedgerDeps {
  readonly pricePer1k: () => number
  readonly dailyBudget: () => number
  readonly threshold: () => number
  /** Whether a node is somewhere else and paid for; this Mac's own nodes cost nothing. */
  readonly isRemoteNode: (node: string) => boolean
  readonly now?: () => Date
}

interface Sums {
  key: string | null
  label: string | null
  tokens_in: number
  tokens_out: number
  cost: number
  requests: number
  duration_ms: number
}

const DAY_MS = 86_400_000

/** Token, time and cost accounting of every model call the chat and the board make. */
export function createUsageLedger(db: Db, deps: UsageLedgerDeps): UsageLedger {
  const now = deps.now ?? (() => new Date())
  const insert = db.prepare(`INSERT INTO chat_usage
    (correlation_id, session_id, message_id, expert_id, purpose, node, model, tokens_in, tokens_out, duration_ms, cost, fell_back, expert_answer, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const tokensSince = db.prepare<[string], { tokens: number; cost: number }>(
    'SELECT COALESCE(SUM(tokens_in + tokens_out), 0) AS tokens, COALESCE(SUM(cost), 0) AS cost FROM chat_usage WHERE created_at >= ?'
  )
  const answerCounts = db.prepare<[string], { expert: number; fallback: number }>(
    `SELECT COALESCE(SUM(CASE WHEN expert_answer = 1 AND fell_back = 0 THEN 1 ELSE 0 END), 0) AS expert,
            COALESCE(SUM(fell_back), 0) AS fallback
     FROM chat_usage WHERE purpose = 'answer' AND created_at >= ?`
  )
  const SUMS =
    'SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out, SUM(cost) AS cost, COUNT(*) AS requests, SUM(duration_ms) AS duration_ms'
  const U_SUMS =
    'SUM(u.tokens_in) AS tokens_in, SUM(u.tokens_out) AS tokens_out, SUM(u.cost) AS cost, COUNT(*) AS requests, SUM(u.duration_ms) AS duration_ms'

  const costOf = (info: ChatCompletionInfo): number =>
    deps.isRemoteNode(info.node) ? ((info.tokensIn + info.tokensOut) / 1000) * deps.pricePer1k() : 0
  const dayOf = (date: Date): string => date.toISOString().slice(0, 10)
  const row = (s: Sums, label: string): UsageRow => ({
    key: s.key ?? '',
    label,
    tokensIn: s.tokens_in,
    tokensOut: s.tokens_out,
    cost: Math.round(s.cost * 10_000) / 10_000,
    requests: s.requests,
    durationMs: s.duration_ms
  })

  const ledger: UsageLedger = {
    costOf,
    record(r) {
      const at = now()
      const day = dayOf(at)
      const before = tokensSince.get(`${day}T00:00:00.000Z`)?.tokens ?? 0
      const { info } = r
      insert.run(
        r.correlationId,
        r.sessionId,
        r.messageId,
        r.expertId,
        r.purpose,
        info.node,
        info.model,
        info.tokensIn,
        info.tokensOut,
        Math.round(info.durationMs),
        costOf(info),
        info.fellBack ? 1 : 0,
        r.expertAnswer ? 1 : 0,
        at.toISOString()
      )
      const after = before + info.tokensIn + info.tokensOut
      const budget = deps.dailyBudget()
      return budget > 0 && before <= budget && after > budget ? { day, tokens: after, budget } : null
    },
    counters() {
      const all = answerCounts.get('') ?? { expert: 0, fallback: 0 }
      const recent = answerCounts.get(new Date(now().getTime() - DAY_MS).toISOString()) ?? { expert: 0, fallback: 0 }
      const answered = recent.expert + recent.fallback
      return {
        expertAnswers: all.expert,
        fallbacks: all.fallback,
        fallbackRatio24h: answered === 0 ? null : recent.fallback / answered
      }
    },
    summary(days, labels) {
      const end = now()
      const first = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate()) - (days - 1) * DAY_MS)
      const since = first.toISOString()
      const byDayRows = new Map(
        db
          .prepare<[string], Sums>(
            `SELECT substr(created_at, 1, 10) AS key, NULL AS label, ${SUMS} FROM chat_usage WHERE created_at >= ? GROUP BY key`
          )
          .all(since)
          .map((s) => [s.key, s])
      )
      const byDay = Array.from({ length: days }, (_, i) => {
        const key = dayOf(new Date(first.getTime() + i * DAY_MS))
        return row(
          byDayRows.get(key) ?? { key, label: null, tokens_in: 0, tokens_out: 0, cost: 0, requests: 0, duration_ms: 0 },
          key
        )
      })
      const bySession = db
        .prepare<[string], Sums>(
          `SELECT u.session_id AS key, s.title AS label, ${U_SUMS}
           FROM chat_usage u LEFT JOIN chat_sessions s ON s.id = u.session_id
           WHERE u.created_at >= ? AND u.session_id IS NOT NULL GROUP BY u.session_id ORDER BY SUM(u.tokens_in + u.tokens_out) DESC LIMIT 20`
        )
        .all(since)
        .map((s) => row(s, s.label ?? 'Deleted session'))
      const byExpert = db
        .prepare<[string], Sums>(
          `SELECT COALESCE(expert_id, '') AS key, NULL AS label, ${SUMS} FROM chat_usage WHERE created_at >= ? GROUP BY key ORDER BY SUM(tokens_in + tokens_out) DESC`
        )
        .all(since)
        .map((s) => row(s, s.key ? labels.expert(s.key) : 'Unassigned'))
      const today = tokensSince.get(`${dayOf(end)}T00:00:00.000Z`) ?? { tokens: 0, cost: 0 }
      const budget = deps.dailyBudget()
      return {
        days,
        byDay,
        bySession,
        byExpert,
        today: { tokens: today.tokens, cost: Math.round(today.cost * 10_000) / 10_000 },
        dailyBudget: budget,
        budgetExceeded: budget > 0 && today.tokens > budget,
        counters: { ...ledger.counters(), threshold: deps.threshold() }
      }
    }
  }
  return ledger
}
