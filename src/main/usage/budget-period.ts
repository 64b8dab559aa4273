import type { BudgetPeriod } from '../../shared/contract/usage-contract'

const DAY_MS = 86_400_000

export const dayOf = (date: Date): string => date.toISOString().slice(0, 10)

/** The first instant (UTC) of the budget period that holds `at`; a week starts on Monday. */
export function periodStart(period: BudgetPeriod, at: Date): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())
  if (period === 'day') return new Date(midnight)
  if (period === 'month') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1))
  const sinceMonday = (at.getUTCDay() + 6) % 7
  return new Date(midnight - sinceMonday * DAY_MS)
}
