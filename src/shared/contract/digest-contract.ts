import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'
import { TaskErrorTypeSchema } from './tasks-contract'

/** "since you were last here" (the Overview's last visit), "since the digest hour" (08:00 by default), or an instant. */
export const DigestSinceSchema = z.union([z.enum(['last_visit', 'morning']), z.iso.datetime()])

export const DigestInputSchema = z.strictObject({
  since: DigestSinceSchema.default('morning'),
  until: z.iso.datetime().optional()
})

const Occurrence = z.strictObject({ at: z.iso.datetime(), subject: z.string(), cause: z.string().nullable() })

export const DigestSchema = z.strictObject({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** What `from` is: the last visit, the digest hour, or the instant asked for (also when no visit was recorded yet). */
  basis: z.enum(['last_visit', 'morning', 'instant']),
  tasks: z.strictObject({
    completed: z.number().int(),
    /** Went to manual review in the range and are still there. */
    inReview: z.number().int(),
    reviewCauses: z.record(z.string(), z.number().int()),
    reviewSamples: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        errorType: TaskErrorTypeSchema.nullable(),
        lastError: z.string().nullable()
      })
    )
  }),
  restarts: z.strictObject({ count: z.number().int(), latest: z.array(Occurrence) }),
  circuits: z.strictObject({ count: z.number().int(), latest: z.array(Occurrence) }),
  chat: z.strictObject({
    answers: z.number().int(),
    fallbacks: z.number().int(),
    fallbackShare: z.number().nullable()
  }),
  usage: z.strictObject({
    requests: z.number().int(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    cost: z.number()
  })
})
export type Digest = z.infer<typeof DigestSchema>

export const DIGEST_CALLS = {
  'digest.get': call({
    scope: 'read',
    summary:
      'What happened in a time range: tasks done and in review with causes, restarts, circuits opened, fallback share, tokens and cost.',
    input: DigestInputSchema,
    output: DigestSchema
  }),
  'digest.seen': call({
    scope: 'write',
    summary: 'Record that the owner has seen the digest now: the next "since you were last here" starts here.',
    input: EmptyInputSchema,
    output: z.strictObject({ seenAt: z.iso.datetime() })
  })
} as const

export const DIGEST_EVENTS = {
  /** The scheduled digest was made (at the digest hour); the Overview re-reads. */
  'digest.ready': DigestSchema
} as const
