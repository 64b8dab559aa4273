import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'

/** What the owner is told about: the health changed, tasks went to manual review, a circuit opened, the digest, a test. */
export const NOTIFICATION_KINDS = ['health', 'manual_review', 'circuit_open', 'budget', 'digest', 'test'] as const
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS)
export type NotificationKind = z.infer<typeof NotificationKindSchema>

/** The shape a webhook's body takes: our generic JSON, an ntfy topic URL, or a Slack incoming webhook. */
export const WEBHOOK_FORMATS = ['json', 'ntfy', 'slack'] as const
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number]

export const DeliveryOutcomeSchema = z.strictObject({
  delivered: z.boolean(),
  /** The HTTP status of the last attempt; null when no answer came (refused, timed out, no URL). */
  status: z.number().int().nullable(),
  attempts: z.number().int(),
  error: z.string().nullable()
})
export type DeliveryOutcome = z.infer<typeof DeliveryOutcomeSchema>

export const NotifyStatusSchema = z.strictObject({
  configured: z.boolean(),
  format: z.enum(WEBHOOK_FORMATS),
  queued: z.number().int(),
  /** Notifications dropped, oldest first, because the queue was full while the endpoint was unreachable. */
  dropped: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  lastDeliveredAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  /** Where the URL is kept: the environment, the OS keychain, or (without a keychain) the settings file; null when none is set. */
  urlFrom: z.enum(['environment', 'keychain', 'settings']).nullable()
})
export type NotifyStatus = z.infer<typeof NotifyStatusSchema>

export const NOTIFY_CALLS = {
  'notify.test': call({
    scope: 'write',
    summary: 'Send a test notification to the configured webhook now, once, and say what the endpoint answered.',
    input: EmptyInputSchema,
    output: DeliveryOutcomeSchema
  }),
  'notify.status': call({
    scope: 'read',
    summary: 'The webhook queue: waiting, dropped, delivered and failed notifications and the last error.',
    input: EmptyInputSchema,
    output: NotifyStatusSchema
  })
} as const
