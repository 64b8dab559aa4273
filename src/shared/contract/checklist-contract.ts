import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'
import { TaskErrorTypeSchema } from './tasks-contract'

export const CHECK_AREAS = ['worker', 'models', 'knowledge', 'chat', 'board', 'database', 'app'] as const
export const CheckAreaSchema = z.enum(CHECK_AREAS)
export const CheckSeveritySchema = z.enum(['hard', 'soft'])
/** pass; warn (soft trouble); fail (the check's condition does not hold); error (the check itself could not measure). */
export const CheckStatusSchema = z.enum(['pass', 'warn', 'fail', 'error'])
export const FixIdSchema = z.enum([
  'restart-ollama',
  'lower-concurrency',
  'return-deferred',
  're-embed',
  'rebuild-search-index',
  'raise-timeout'
])

export const CheckResultSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  area: CheckAreaSchema,
  severity: CheckSeveritySchema,
  status: CheckStatusSchema,
  /** The measured value, in words with its number. */
  evidence: z.string(),
  /** How the check measures, so a person can verify it by hand. */
  measures: z.string(),
  remedy: z.string(),
  fix: FixIdSchema.nullable(),
  measuredAt: z.iso.datetime(),
  durationMs: z.number().nonnegative()
})
export type CheckResult = z.infer<typeof CheckResultSchema>

export const PlaybookMatchSchema = z.strictObject({
  ruleId: z.string(),
  title: z.string(),
  cause: z.string(),
  remedy: z.string(),
  fix: FixIdSchema.nullable(),
  /** The evidence the rule matched: a log line, an error type count, a check result. */
  evidence: z.array(z.string())
})
export type PlaybookMatch = z.infer<typeof PlaybookMatchSchema>

/** A playbook rule on its own: what a task's error type means and what fixes it (the manual-review card shows it). */
export const PlaybookRuleViewSchema = z.strictObject({
  ruleId: z.string(),
  title: z.string(),
  cause: z.string(),
  remedy: z.string(),
  /** A one-click fix this host can run (checklist.fix); null when there is none. */
  fix: FixIdSchema.nullable(),
  /** When the rule's fix cannot work here now (the app does not run Ollama): what the person does instead. */
  byHand: z.string().nullable()
})
export type PlaybookRuleView = z.infer<typeof PlaybookRuleViewSchema>

export const ChecklistRunSchema = z.strictObject({
  id: z.number().int(),
  trigger: z.enum(['start', 'manual', 'schedule', 'fix']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  /** hard failures block "healthy"; soft ones warn. */
  verdict: z.enum(['healthy', 'warnings', 'unhealthy']),
  results: z.array(CheckResultSchema),
  playbook: z.array(PlaybookMatchSchema),
  availableFixes: z.array(FixIdSchema)
})
export type ChecklistRun = z.infer<typeof ChecklistRunSchema>

export const ChecklistRunSummarySchema = z.strictObject({
  id: z.number().int(),
  trigger: ChecklistRunSchema.shape.trigger,
  startedAt: z.iso.datetime(),
  verdict: ChecklistRunSchema.shape.verdict,
  counts: z.strictObject({
    pass: z.number().int(),
    warn: z.number().int(),
    fail: z.number().int(),
    error: z.number().int()
  })
})

export const ChecklistReportSchema = z.strictObject({
  markdown: z.string(),
  json: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/)
})

export const CHECKLIST_CALLS = {
  'checklist.latest': call({
    scope: 'read',
    summary: 'The newest run of the checklist, or null before the first one.',
    input: EmptyInputSchema,
    output: ChecklistRunSchema.nullable()
  }),
  'checklist.run': call({
    scope: 'read',
    summary: 'Run every check now and return the run.',
    input: EmptyInputSchema,
    output: ChecklistRunSchema
  }),
  'checklist.history': call({
    scope: 'read',
    summary: 'Earlier runs, newest first.',
    input: z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }),
    output: z.array(ChecklistRunSummarySchema)
  }),
  'checklist.fix': call({
    scope: 'write',
    summary: 'Apply a one-click fix, then run the checklist again.',
    input: z.strictObject({ fix: FixIdSchema }),
    output: z.strictObject({ message: z.string(), run: ChecklistRunSchema })
  }),
  'checklist.errorRules': call({
    scope: 'read',
    summary:
      'For every task error type, the playbook rule that explains it: cause, remedy and the one-click fix, if any.',
    input: EmptyInputSchema,
    output: z.array(z.strictObject({ errorType: TaskErrorTypeSchema, rule: PlaybookRuleViewSchema }))
  }),
  'checklist.report': call({
    scope: 'read',
    summary: 'The newest run as Markdown and as canonical JSON with its SHA-256.',
    input: EmptyInputSchema,
    output: ChecklistReportSchema
  })
} as const

export const CHECKLIST_EVENTS = {
  'checklist.completed': ChecklistRunSchema
} as const
