import { z } from 'zod'
import { call } from './define'

const Iso = z.iso.datetime()

export const ValidationVerdictRowSchema = z.strictObject({
  kind: z.string(),
  outcome: z.enum(['passed', 'failed', 'unjudged']),
  score: z.number().nullable(),
  reasons: z.array(z.string()),
  model: z.string().nullable(),
  at: Iso
})

export const TestRunRowSchema = z.strictObject({
  command: z.string(),
  cwd: z.string(),
  status: z.enum(['passed', 'failed', 'timed_out', 'could_not_start']),
  passed: z.number().int().nullable(),
  failed: z.number().int().nullable(),
  coveragePercent: z.number().nullable(),
  format: z.enum(['junit', 'tap', 'summary_line', 'exit_code']).nullable(),
  message: z.string().nullable(),
  durationMs: z.number(),
  at: Iso
})

export const EscalationSchema = z.strictObject({
  round: z.number().int(),
  state: z.enum(['consulting', 'retry_other_model', 'change_approach', 'give_up', 'board_unavailable']),
  failedModel: z.string().nullable(),
  nextModel: z.string().nullable(),
  instruction: z.string().nullable(),
  boardView: z.string().nullable(),
  decisionId: z.string().nullable(),
  createdAt: Iso,
  decidedAt: Iso.nullable()
})
export type EscalationView = z.infer<typeof EscalationSchema>

export const TaskVerificationSchema = z.strictObject({
  verdicts: z.array(ValidationVerdictRowSchema),
  testRuns: z.array(TestRunRowSchema),
  escalations: z.array(EscalationSchema)
})
export type TaskVerification = z.infer<typeof TaskVerificationSchema>

export const ValidationCountsSchema = z.strictObject({
  passed: z.number().int(),
  failed: z.number().int(),
  unjudged: z.number().int()
})

export const VALIDATION_CALLS = {
  'validation.task': call({
    scope: 'read',
    summary:
      "A task's verification: each validator verdict (score, reasons, model), its test runs, and the escalation ladder's rounds with the board's view.",
    input: z.strictObject({ id: z.string().trim().min(1).max(200) }),
    output: TaskVerificationSchema
  }),
  'validation.counts': call({
    scope: 'read',
    summary:
      'Validator verdicts of the last 24 hours: passed, failed, and results let through unjudged (no validator could run).',
    input: z.strictObject({}),
    output: ValidationCountsSchema
  })
} as const
