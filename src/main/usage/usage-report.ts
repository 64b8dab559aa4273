import type { UsageDimension, UsageGroup, UsageReport } from '../../shared/contract/usage-contract'
import type { Db } from '../db/database'
import { dayOf } from './budget-period'
import type { UsageLedger } from './usage-ledger'

export interface UsageLabels {
  expert(id: string): string
  node(id: string): string
}

interface Sums {
  key: string
  tokens_in: number
  tokens_out: number
  estimated: number
  failed: number
  failed_requests: number
  cost: number
  requests: number
  duration_ms: number
  chat: number
  board: number
  task: number
  workflow: number
}

const DAY_MS = 86_400_000
export const DEFAULT_DAYS = 14

const KEY: Readonly<Record<UsageDimension, string>> = {
  day: 'substr(created_at, 1, 10)',
  expert: "COALESCE(expert_id, '')",
  model: 'model',
  node: 'node',
  project: "COALESCE(project, '')"
}

const tokensOf = (source: string): string =>
  `COALESCE(SUM(CASE WHEN source = '${source}' THEN tokens_in + tokens_out ELSE 0 END), 0) AS ${source}`

const SUMS = [
  'COALESCE(SUM(tokens_in), 0) AS tokens_in',
  'COALESCE(SUM(tokens_out), 0) AS tokens_out',
  "COALESCE(SUM(CASE WHEN counted = 'estimate' THEN tokens_in + tokens_out ELSE 0 END), 0) AS estimated",
  'COALESCE(SUM(CASE WHEN failed = 1 THEN tokens_in + tokens_out ELSE 0 END), 0) AS failed',
  'COALESCE(SUM(failed), 0) AS failed_requests',
  'COALESCE(SUM(cost), 0) AS cost',
  'COUNT(*) AS requests',
  'COALESCE(SUM(duration_ms), 0) AS duration_ms',
  ...['chat', 'board', 'task', 'workflow'].map(tokensOf)
].join(', ')

const empty = (key: string): Sums => ({
  key,
  tokens_in: 0,
  tokens_out: 0,
  estimated: 0,
  failed: 0,
  failed_requests: 0,
  cost: 0,
  requests: 0,
  duration_ms: 0,
  chat: 0,
  board: 0,
  task: 0,
  workflow: 0
})

const group = (s: Sums, label: string): UsageGroup => ({
  key: s.key,
  label,
  tokensIn: s.tokens_in,
  tokensOut: s.tokens_out,
  estimatedTokens: s.estimated,
  failedTokens: s.failed,
  failedRequests: s.failed_requests,
  cost: Math.round(s.cost * 10_000) / 10_000,
  requests: s.requests,
  durationMs: s.duration_ms,
  bySource: { chat: s.chat, board: s.board, task: s.task, workflow: s.workflow }
})

/** The calls without a project, named by what they are: worker tasks without a domain land here too, not only chat. */
function noProjectLabel(s: Sums): string {
  const chat = s.chat > 0 && s.board > 0 ? 'chat and board' : s.chat > 0 ? 'chat' : s.board > 0 ? 'board' : null
  const parts = [
    s.task > 0 ? 'tasks without a domain' : null,
    s.workflow > 0 ? 'workflows without a project' : null,
    chat
  ].filter((p): p is string => p !== null)
  return parts.length === 0 ? 'No project' : `No project (${parts.join(', ')})`
}

/** The first day of a report: the day asked for, or DEFAULT_DAYS back from today. */
export function reportStart(since: string | undefined, today: Date): string {
  return since ?? dayOf(new Date(Date.parse(`${dayOf(today)}T00:00:00.000Z`) - (DEFAULT_DAYS - 1) * DAY_MS))
}

/** Usage of every model call from a day to today, grouped by one dimension, with the budget of the current period. */
export function createUsageReport(
  db: Db,
  deps: { ledger: Pick<UsageLedger, 'budget'>; pricePer1k: () => number; now?: () => Date }
): (input: { since: string; by: UsageDimension }, labels: UsageLabels) => UsageReport {
  const now = deps.now ?? (() => new Date())
  const grouped = Object.fromEntries(
    Object.entries(KEY).map(([by, key]) => [
      by,
      db.prepare<[string], Sums>(
        `SELECT ${key} AS key, ${SUMS} FROM model_usage WHERE created_at >= ? GROUP BY 1 ORDER BY SUM(tokens_in + tokens_out) DESC, 1`
      )
    ])
  ) as Record<UsageDimension, ReturnType<typeof db.prepare<[string], Sums>>>
  const total = db.prepare<[string], Sums>(`SELECT '' AS key, ${SUMS} FROM model_usage WHERE created_at >= ?`)

  return ({ since, by }, labels) => {
    const until = dayOf(now())
    const from = `${since}T00:00:00.000Z`
    const rows = grouped[by].all(from)
    const label = (key: string): string => {
      if (by === 'expert') return key === '' ? 'No expert' : key === 'board' ? 'Board of directors' : labels.expert(key)
      if (by === 'node') return labels.node(key)
      return key
    }
    let groups: UsageGroup[]
    if (by === 'day') {
      const byKey = new Map(rows.map((r) => [r.key, r]))
      const first = Date.parse(from)
      const count = Math.max(0, Math.round((Date.parse(`${until}T00:00:00.000Z`) - first) / DAY_MS) + 1)
      groups = Array.from({ length: count }, (_, i) => {
        const key = dayOf(new Date(first + i * DAY_MS))
        return group(byKey.get(key) ?? empty(key), key)
      })
    } else groups = rows.map((r) => group(r, by === 'project' && r.key === '' ? noProjectLabel(r) : label(r.key)))
    return {
      since,
      until,
      by,
      groups,
      total: group(total.get(from) ?? empty(''), 'Total'),
      budget: deps.ledger.budget(),
      remotePricePer1k: deps.pricePer1k()
    }
  }
}
