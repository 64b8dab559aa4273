import type { ChatUsage, UsageRow } from '../../shared/contract/chat-contract'
import type { Db } from '../db/database'
import { dayOf } from '../usage/budget-period'
import type { UsageLedger } from '../usage/usage-ledger'

export interface UsageCounters {
  readonly expertAnswers: number
  readonly fallbacks: number
  /** Every chat answer of the last 24 h, the lead's quick answers too: what the fallback ratio is a share of. */
  readonly answers24h: number
  readonly fallbackRatio24h: number | null
}

/** The chat's and the board's share of the usage ledger: per conversation and expert, and the fallback counters. */
export interface ChatUsageReader {
  counters(): UsageCounters
  summary(days: number, labels: { expert(id: string): string }): ChatUsage
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
const CHAT = "source IN ('chat', 'board')"

export function createChatUsageReader(
  db: Db,
  deps: { ledger: Pick<UsageLedger, 'budget'>; threshold: () => number; now?: () => Date }
): ChatUsageReader {
  const now = deps.now ?? (() => new Date())
  // An attempt that spent tokens and gave no answer is in the token totals, not among the answers.
  const answerCounts = db.prepare<[string], { answers: number; expert: number; fallback: number }>(
    `SELECT COUNT(*) AS answers,
            COALESCE(SUM(CASE WHEN expert_answer = 1 AND fell_back = 0 THEN 1 ELSE 0 END), 0) AS expert,
            COALESCE(SUM(fell_back), 0) AS fallback
     FROM model_usage WHERE source = 'chat' AND purpose = 'answer' AND failed = 0 AND created_at >= ?`
  )
  const SUMS =
    'SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out, SUM(cost) AS cost, COUNT(*) AS requests, SUM(duration_ms) AS duration_ms'
  const U_SUMS =
    'SUM(u.tokens_in) AS tokens_in, SUM(u.tokens_out) AS tokens_out, SUM(u.cost) AS cost, COUNT(*) AS requests, SUM(u.duration_ms) AS duration_ms'
  const byDayQuery = db.prepare<[string], Sums>(
    `SELECT substr(created_at, 1, 10) AS key, NULL AS label, ${SUMS} FROM model_usage WHERE ${CHAT} AND created_at >= ? GROUP BY key`
  )
  const bySessionQuery = db.prepare<[string], Sums>(
    `SELECT u.session_id AS key, s.title AS label, ${U_SUMS}
     FROM model_usage u LEFT JOIN chat_sessions s ON s.id = u.session_id
     WHERE u.${CHAT} AND u.created_at >= ? AND u.session_id IS NOT NULL
     GROUP BY u.session_id ORDER BY SUM(u.tokens_in + u.tokens_out) DESC LIMIT 20`
  )
  const byExpertQuery = db.prepare<[string], Sums>(
    `SELECT COALESCE(expert_id, '') AS key, NULL AS label, ${SUMS} FROM model_usage
     WHERE ${CHAT} AND created_at >= ? GROUP BY key ORDER BY SUM(tokens_in + tokens_out) DESC`
  )
  const row = (s: Sums, label: string): UsageRow => ({
    key: s.key ?? '',
    label,
    tokensIn: s.tokens_in,
    tokensOut: s.tokens_out,
    cost: Math.round(s.cost * 10_000) / 10_000,
    requests: s.requests,
    durationMs: s.duration_ms
  })

  const counters = (): UsageCounters => {
    const none = { answers: 0, expert: 0, fallback: 0 }
    const all = answerCounts.get('') ?? none
    // Every answer, not only the experts': the lead's quick answers can fall back too, and the Overview counts them.
    const recent = answerCounts.get(new Date(now().getTime() - DAY_MS).toISOString()) ?? none
    return {
      expertAnswers: all.expert,
      fallbacks: all.fallback,
      answers24h: recent.answers,
      fallbackRatio24h: recent.answers === 0 ? null : recent.fallback / recent.answers
    }
  }

  return {
    counters,
    summary(days, labels) {
      const end = now()
      const first = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate()) - (days - 1) * DAY_MS)
      const since = first.toISOString()
      const byDayRows = new Map(byDayQuery.all(since).map((s) => [s.key, s]))
      const byDay = Array.from({ length: days }, (_, i) => {
        const key = dayOf(new Date(first.getTime() + i * DAY_MS))
        return row(
          byDayRows.get(key) ?? { key, label: null, tokens_in: 0, tokens_out: 0, cost: 0, requests: 0, duration_ms: 0 },
          key
        )
      })
      return {
        days,
        byDay,
        bySession: bySessionQuery.all(since).map((s) => row(s, s.label ?? 'Deleted session')),
        byExpert: byExpertQuery.all(since).map((s) => row(s, s.key ? labels.expert(s.key) : 'Unassigned')),
        budget: deps.ledger.budget(),
        counters: { ...counters(), threshold: deps.threshold() }
      }
    }
  }
}
