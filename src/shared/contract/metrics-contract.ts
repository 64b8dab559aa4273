import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'

/** Upper bounds (seconds) of the task-duration histogram: a quick local answer up to a long report on a heavy model. */
export const TASK_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] as const

export const TaskDurationsSchema = z.strictObject({
  /** Upper bounds in seconds, ascending; +Inf is implied by `count`. */
  buckets: z.array(z.number()),
  series: z.array(
    z.strictObject({
      backend: z.string(),
      model: z.string(),
      /** Cumulative: completed tasks that took at most buckets[i] seconds. */
      cumulative: z.array(z.number().int()),
      count: z.number().int(),
      sumSeconds: z.number()
    })
  )
})
export type TaskDurations = z.infer<typeof TaskDurationsSchema>

/** Upper bounds (seconds) of the time to first token: a loaded small model, up to a heavy one loading from disk. */
export const FIRST_TOKEN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] as const
/** Upper bounds (seconds) of a whole model request: a one-line chat answer up to a long report. */
export const REQUEST_DURATION_BUCKETS = [0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] as const

const NodeHistogramSchema = z.strictObject({
  /** Upper bounds in seconds, ascending; +Inf is implied by `count`. */
  buckets: z.array(z.number()),
  series: z.array(
    z.strictObject({
      node: z.string(),
      model: z.string(),
      /** Cumulative: requests that took at most buckets[i] seconds. */
      cumulative: z.array(z.number().int()),
      count: z.number().int(),
      sumSeconds: z.number()
    })
  )
})
export type NodeHistogram = z.infer<typeof NodeHistogramSchema>

export const ModelLatencySchema = z.strictObject({
  /** Time to the first token of every answered model request since start, per node and model. */
  firstToken: NodeHistogramSchema,
  /** Duration of every answered model request since start, per node and model. */
  request: NodeHistogramSchema
})
export type ModelLatency = z.infer<typeof ModelLatencySchema>

export const METRICS_CALLS = {
  'metrics.modelLatency': call({
    scope: 'read',
    summary: 'Time to first token and request duration of answered model requests, per node and model, as histograms.',
    input: EmptyInputSchema,
    output: ModelLatencySchema
  }),
  'metrics.taskDurations': call({
    scope: 'read',
    summary: 'How long completed tasks took, per backend and model, as cumulative histogram buckets (seconds).',
    input: EmptyInputSchema,
    output: TaskDurationsSchema
  })
} as const
