import { z } from 'zod'
import { call } from './define'
import { TaskStatusSchema } from './tasks-contract'
import { USAGE_SOURCES } from './usage-contract'

/** Log lines a trail shows at most; the CLI's `kos logs --correlation` prints them all. */
export const TRAIL_LINE_LIMIT = 300

export const TrailSchema = z.strictObject({
  correlationId: z.string(),
  /** The chat message that started it, when a chat did. */
  chat: z.strictObject({ sessionId: z.string(), messageId: z.string(), question: z.string() }).nullable(),
  /** Every task it created, oldest first. */
  tasks: z.array(z.strictObject({ id: z.string(), title: z.string(), status: TaskStatusSchema })),
  /** Every answered model request, oldest first. */
  modelCalls: z.array(
    z.strictObject({
      at: z.iso.datetime(),
      source: z.enum(USAGE_SOURCES),
      purpose: z.string(),
      taskId: z.string().nullable(),
      node: z.string(),
      model: z.string(),
      tokensIn: z.number().int(),
      tokensOut: z.number().int(),
      durationMs: z.number().int()
    })
  ),
  /** The log lines carrying the id, oldest first: the newest TRAIL_LINE_LIMIT of them. */
  lines: z.array(
    z.strictObject({
      at: z.string(),
      level: z.string(),
      msg: z.string(),
      taskId: z.string().nullable(),
      /** The line's other fields, as `key=value`. */
      detail: z.string()
    })
  ),
  /** Lines left out, beyond the limit. */
  omittedLines: z.number().int()
})
export type Trail = z.infer<typeof TrailSchema>

export const TRAIL_CALLS = {
  'trail.get': call({
    scope: 'read',
    summary:
      'The whole trail of one request by its correlation id: the chat message, the tasks, the model calls and the log lines.',
    input: z.strictObject({ correlationId: z.string().trim().min(1).max(200) }),
    output: TrailSchema
  })
} as const
