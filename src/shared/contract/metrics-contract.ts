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

export const METRICS_CALLS = {
  'metrics.taskDurations': call({
    scope: 'read',
    summary: 'How long completed tasks took, per backend and model, as cumulative histogram buckets (seconds).',
    input: EmptyInputSchema,
    output: TaskDurationsSchema
  })
} as const
