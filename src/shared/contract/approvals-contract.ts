import { z } from 'zod'
import { call } from './define'

const Iso = z.iso.datetime()

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const
export const ApprovalStatusSchema = z.enum(APPROVAL_STATUSES)
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>

/** One request for a person's yes or no, as the queue shows it. */
export const ApprovalSchema = z.strictObject({
  id: z.string(),
  runId: z.string().nullable(),
  taskId: z.string().nullable(),
  step: z.string().nullable(),
  title: z.string(),
  reason: z.string(),
  correlationId: z.string().nullable(),
  status: ApprovalStatusSchema,
  decidedBy: z.string().nullable(),
  note: z.string().nullable(),
  requestedAt: Iso,
  decidedAt: Iso.nullable()
})
export type Approval = z.infer<typeof ApprovalSchema>

/** The most requests one page lists, and one decision may cover by id (more: use `all`). */
export const APPROVALS_PAGE_MAX = 500
export const APPROVAL_NOTE_MAX = 2000

export const ApprovalsListInputSchema = z.strictObject({
  /** `pending` (the default): what waits for a person, oldest first; `decided`: the latest decisions, newest first. */
  show: z.enum(['pending', 'decided']).default('pending'),
  limit: z.number().int().min(1).max(APPROVALS_PAGE_MAX).default(200)
})

export const APPROVAL_VERDICTS = ['approve', 'reject'] as const
export const ApprovalVerdictSchema = z.enum(APPROVAL_VERDICTS)
export type ApprovalVerdictName = z.infer<typeof ApprovalVerdictSchema>

export const ApprovalsDecideInputSchema = z
  .strictObject({
    verdict: ApprovalVerdictSchema,
    ids: z.array(z.string().trim().min(1).max(200)).min(1).max(APPROVALS_PAGE_MAX).optional(),
    /** Every request pending now, as one batch. */
    all: z.literal(true).optional(),
    note: z.string().trim().max(APPROVAL_NOTE_MAX).optional()
  })
  .refine((input) => (input.ids === undefined) !== (input.all === undefined), {
    message: 'Give either "ids" (the requests to decide) or "all": true, not both and not neither.'
  })

/** Why a request named in a batch was left as it was. */
export const ApprovalSkipSchema = z.strictObject({
  id: z.string(),
  reason: z.enum(['not_found', 'already_decided']),
  status: ApprovalStatusSchema.nullable()
})
export type ApprovalSkip = z.infer<typeof ApprovalSkipSchema>

export const ApprovalsChangedSchema = z.strictObject({
  pending: z.number().int(),
  /** The requests filed or decided by the write that changed the queue. */
  ids: z.array(z.string())
})
export type ApprovalsChanged = z.infer<typeof ApprovalsChangedSchema>

export const APPROVALS_CALLS = {
  'approvals.list': call({
    scope: 'read',
    summary:
      'Requests that wait for a person (oldest first), or the latest decided ones; with the number pending in all.',
    input: ApprovalsListInputSchema,
    output: z.strictObject({ approvals: z.array(ApprovalSchema), pending: z.number().int() })
  }),
  'approvals.decide': call({
    scope: 'write',
    summary:
      'Approve or reject requests as one batch: the given ids, or all pending. Requests already decided or unknown are listed as skipped, not changed.',
    input: ApprovalsDecideInputSchema,
    output: z.strictObject({
      decided: z.array(ApprovalSchema),
      skipped: z.array(ApprovalSkipSchema),
      pending: z.number().int()
    })
  })
} as const

export const APPROVALS_EVENTS = {
  'approvals.changed': ApprovalsChangedSchema
} as const
