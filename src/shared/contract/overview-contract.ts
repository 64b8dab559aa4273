import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'

/** One point of the Overview charts, taken every sampling interval. */
export const OverviewSampleSchema = z.strictObject({
  at: z.iso.datetime(),
  completionsPerMinute: z.number().nullable(),
  pending: z.number().int().nullable(),
  inProgress: z.number().int().nullable(),
  deferred: z.number().int().nullable(),
  health: z.enum(['ok', 'degraded', 'down']).nullable(),
  /** Median task latency per backend, ms. */
  latencyByBackend: z.record(z.string(), z.number())
})
export type OverviewSample = z.infer<typeof OverviewSampleSchema>

export const OverviewSeriesSchema = z.strictObject({
  intervalSec: z.number().int(),
  samples: z.array(OverviewSampleSchema)
})

export const OVERVIEW_CALLS = {
  'overview.series': call({
    scope: 'read',
    summary: 'The samples behind the Overview charts, oldest first (the last two hours).',
    input: EmptyInputSchema,
    output: OverviewSeriesSchema
  })
} as const

export const OVERVIEW_EVENTS = {
  'overview.sample': OverviewSampleSchema
} as const
