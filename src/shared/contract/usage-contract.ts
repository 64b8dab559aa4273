import { z } from 'zod'
import { call } from './define'

/** The periods a token budget covers, in UTC; a week starts on Monday. */
export const BUDGET_PERIODS = ['day', 'week', 'month'] as const
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number]

/** What usage is grouped by. */
export const USAGE_DIMENSIONS = ['day', 'expert', 'model', 'node', 'project'] as const
export const UsageDimensionSchema = z.enum(USAGE_DIMENSIONS)
export type UsageDimension = z.infer<typeof UsageDimensionSchema>

/** Where a model call came from. */
export const USAGE_SOURCES = ['chat', 'board', 'task', 'workflow'] as const
export type UsageSource = (typeof USAGE_SOURCES)[number]

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')

export const UsageInputSchema = z.strictObject({
  /** The first day counted (UTC); 14 days back by default. */
  since: Day.optional(),
  by: UsageDimensionSchema.default('day')
})

const Tokens = z.number().int().nonnegative()

export const UsageGroupSchema = z.strictObject({
  /** The day, expert id, model, node id or project; '' for calls with none (a task without a project). */
  key: z.string(),
  label: z.string(),
  tokensIn: Tokens,
  tokensOut: Tokens,
  /** Tokens of calls whose backend reported no count, so they were estimated from the text. */
  estimatedTokens: Tokens,
  /** Of the tokens, those spent by calls that gave no answer (a cut stream, a server error, an echo, a cancelled run). */
  failedTokens: Tokens,
  /** Calls among `requests` that gave no answer after spending tokens. */
  failedRequests: z.number().int(),
  cost: z.number(),
  requests: z.number().int(),
  durationMs: z.number().int(),
  /** Tokens (in + out) per source, so a row says how much of it was the worker's. */
  bySource: z.strictObject({ chat: Tokens, board: Tokens, task: Tokens, workflow: Tokens })
})
export type UsageGroup = z.infer<typeof UsageGroupSchema>

export const BudgetStateSchema = z.strictObject({
  period: z.enum(BUDGET_PERIODS),
  /** The current period's first day (UTC). */
  start: Day,
  /** 0: no budget, no alert. */
  budget: Tokens,
  used: Tokens,
  exceeded: z.boolean(),
  /** When this period's alert went out; null before. */
  alertedAt: z.iso.datetime().nullable()
})
export type BudgetState = z.infer<typeof BudgetStateSchema>

export const UsageReportSchema = z.strictObject({
  since: Day,
  until: Day,
  by: UsageDimensionSchema,
  /** Largest first; by day, every day of the range in order, empty days included. */
  groups: z.array(UsageGroupSchema),
  total: UsageGroupSchema,
  budget: BudgetStateSchema,
  /** The price per 1,000 tokens charged for remote nodes (chat.remotePricePer1k). */
  remotePricePer1k: z.number()
})
export type UsageReport = z.infer<typeof UsageReportSchema>

export const BudgetAlertSchema = z.strictObject({
  period: z.enum(BUDGET_PERIODS),
  start: Day,
  tokens: Tokens,
  budget: Tokens
})
export type BudgetAlert = z.infer<typeof BudgetAlertSchema>

export const USAGE_CALLS = {
  'usage.report': call({
    scope: 'read',
    summary:
      'Tokens, cost and time of every model call (chat, board, tasks, workflows) since a day, by day, expert, model, node or project, with the budget.',
    input: UsageInputSchema,
    output: UsageReportSchema
  })
} as const

export const USAGE_EVENTS = {
  /** The budget of the current period was passed; sent once per period. */
  'usage.budgetExceeded': BudgetAlertSchema,
  /** New calls were counted; an open Usage view re-reads (at most once a second). */
  'usage.changed': z.strictObject({ at: z.iso.datetime() })
} as const
