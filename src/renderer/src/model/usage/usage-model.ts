import type { RpcError } from '../../../../shared/contract/rpc-error'
import type {
  BudgetAlert,
  BudgetPeriod,
  UsageDimension,
  UsageGroup,
  UsageReport,
  UsageSource
} from '../../../../shared/contract/usage-contract'
import { defineViewModel, type ViewModelApi } from '../view-model'

/** How far back the view reads: the last 7, 14 or 30 days, or since the first of this month. */
export type UsageRange = 'days7' | 'days14' | 'days30' | 'month'

export interface UsageData {
  readonly by: UsageDimension
  readonly range: UsageRange
  /** Always by day: the chart. */
  readonly daily: UsageReport | null
  /** By the chosen dimension: the table (the same report when that is the day). */
  readonly grouped: UsageReport | null
  /** The alert pushed while the view is open; the budget card shows the stored state either way. */
  readonly alert: BudgetAlert | null
  readonly error: RpcError | null
}

export interface UsageActions {
  groupBy(by: UsageDimension): Promise<void>
  show(range: UsageRange): Promise<void>
}

type Api = ViewModelApi<UsageData & UsageActions>

const DAY_MS = 86_400_000

/** The first day a range starts on, as YYYY-MM-DD (UTC, as the ledger counts days). */
export function rangeStart(range: UsageRange, today: Date): string {
  if (range === 'month') return `${today.toISOString().slice(0, 7)}-01`
  const days = range === 'days7' ? 7 : range === 'days30' ? 30 : 14
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
  return new Date(midnight - (days - 1) * DAY_MS).toISOString().slice(0, 10)
}

async function read(api: Api, by: UsageDimension, range: UsageRange): Promise<void> {
  const since = rangeStart(range, new Date())
  const [daily, grouped] = await Promise.all([
    api.client.call('usage.report', { since, by: 'day' }),
    by === 'day' ? null : api.client.call('usage.report', { since, by })
  ])
  // A later choice may have been made while this one was read: only the latest is shown.
  if (api.get().by !== by || api.get().range !== range) return
  if (!daily.ok) return api.set({ error: daily.error })
  if (grouped && !grouped.ok) return api.set({ error: grouped.error })
  api.set({ daily: daily.value, grouped: grouped ? grouped.value : daily.value, error: null })
}

/** The Usage view: tokens, time and cost of every model call, by day and by one chosen dimension, and the budget. */
export const usageModel = defineViewModel<UsageData, UsageActions>({
  initialState: () => ({ by: 'project', range: 'days14', daily: null, grouped: null, alert: null, error: null }),
  actions: (api) => ({
    async groupBy(by) {
      api.set({ by })
      await read(api, by, api.get().range)
    },
    async show(range) {
      api.set({ range })
      await read(api, api.get().by, range)
    }
  }),
  events: {
    // The core sends it at most once a second while calls are counted.
    'usage.changed': (_payload, api) => void read(api, api.get().by, api.get().range),
    'usage.budgetExceeded': (alert, api) => {
      api.set({ alert })
      void read(api, api.get().by, api.get().range)
    }
  },
  reload: (api) => read(api, api.get().by, api.get().range)
})

export const SOURCE_LABELS: Readonly<Record<UsageSource, string>> = {
  chat: 'Chat',
  board: 'Board',
  task: 'Tasks',
  workflow: 'Workflows'
}

/** A group's share of the report's total tokens, 0–1. */
export function shareOf(group: UsageGroup, total: UsageGroup): number {
  const all = total.tokensIn + total.tokensOut
  return all === 0 ? 0 : (group.tokensIn + group.tokensOut) / all
}

/** The sources that used tokens in a group, largest first, as "Tasks 80%, Chat 20%". */
export function sourceMix(group: UsageGroup): string {
  const all = group.tokensIn + group.tokensOut
  if (all === 0) return '—'
  return (Object.entries(group.bySource) as [UsageSource, number][])
    .filter(([, tokens]) => tokens > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([source, tokens]) => `${SOURCE_LABELS[source]} ${Math.round((tokens / all) * 100)}%`)
    .join(', ')
}

const PERIOD_TEXT: Readonly<Record<BudgetPeriod, { current: string; adjective: string }>> = {
  day: { current: 'Today', adjective: 'daily' },
  week: { current: 'This week', adjective: 'weekly' },
  month: { current: 'This month', adjective: 'monthly' }
}

/** "Today" / "This week" / "This month", and "daily" / "weekly" / "monthly", for a budget period. */
export const periodText = (period: BudgetPeriod): { current: string; adjective: string } => PERIOD_TEXT[period]

/** How full the budget is, 0–1 and beyond; null without a budget. */
export function budgetFill(report: UsageReport): number | null {
  return report.budget.budget > 0 ? report.budget.used / report.budget.budget : null
}
