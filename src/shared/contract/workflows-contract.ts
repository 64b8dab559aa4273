import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'
import { NextCursorSchema, pageInput } from './paging'
import { StepKindSchema, WorkflowDefinitionSchema } from './workflow-definition'

export * from './workflow-definition'

const Iso = z.iso.datetime()

/** A definition file that did not load: which file, and each problem with its field, value and what to do. */
export const DefinitionProblemSchema = z.strictObject({
  file: z.string(),
  problems: z.array(z.string())
})
export type DefinitionProblem = z.infer<typeof DefinitionProblemSchema>

export const WorkflowOriginSchema = z.enum(['builtin', 'user'])

export const WorkflowEntrySchema = z.strictObject({
  definition: WorkflowDefinitionSchema,
  origin: WorkflowOriginSchema,
  file: z.string()
})
export type WorkflowEntry = z.infer<typeof WorkflowEntrySchema>

/** What a step produced, parsed into its parts. */
export const HandoffPackageSchema = z.strictObject({
  summary: z.string(),
  artifacts: z.array(z.string()),
  openQuestions: z.array(z.string()),
  sources: z.array(z.string()),
  fields: z.record(z.string(), z.string())
})
export type HandoffPackage = z.infer<typeof HandoffPackageSchema>

export const RUN_STATUSES = ['running', 'waiting_approval', 'completed', 'failed', 'cancelled'] as const
export const RunStatusSchema = z.enum(RUN_STATUSES)
export type RunStatus = z.infer<typeof RunStatusSchema>

/** `running`: its task is queued or at work; `sent_back`: its package was returned to it (or, for a reviewed step, to an earlier one); `passed`: handed on. */
export const STEP_STATUSES = [
  'waiting_approval',
  'running',
  'sent_back',
  'passed',
  'blocked',
  'failed',
  'cancelled'
] as const
export const StepStatusSchema = z.enum(STEP_STATUSES)
export type StepStatus = z.infer<typeof StepStatusSchema>

export const RUN_SOURCES = ['form', 'chat', 'cli', 'mcp'] as const
export const RunSourceSchema = z.enum(RUN_SOURCES)
export type RunSource = z.infer<typeof RunSourceSchema>

export const DECISION_KINDS = ['handoff', 'sent_back', 'validation', 'escalation', 'approval', 'policy_block'] as const
export const DecisionKindSchema = z.enum(DECISION_KINDS)

export const DecisionRowSchema = z.strictObject({
  seq: z.number().int(),
  runId: z.string().nullable(),
  taskId: z.string().nullable(),
  step: z.string().nullable(),
  role: z.string(),
  decision: z.string(),
  kind: DecisionKindSchema,
  reasons: z.array(z.string()),
  model: z.string().nullable(),
  correlationId: z.string().nullable(),
  at: Iso
})
export type DecisionRow = z.infer<typeof DecisionRowSchema>

export const RunStepSchema = z.strictObject({
  id: z.string(),
  step: z.string(),
  role: z.string(),
  kind: StepKindSchema,
  round: z.number().int(),
  attempt: z.number().int(),
  status: StepStatusSchema,
  taskId: z.string().nullable(),
  model: z.string().nullable(),
  package: HandoffPackageSchema.nullable(),
  /** A review step's verdict as it gave it (`accept`, `send_back`), or null. */
  verdict: z.string().nullable(),
  /** What the package lacked or which rule it broke, when it was sent back or blocked. */
  problems: z.array(z.string()),
  /** Tokens of its prompt and answer (counted, or estimated at 4 characters a token). */
  tokens: z.number().int(),
  /** `backend`: the model server's own counts; `estimate`: 4 characters a token, where it reported none. */
  tokensCounted: z.enum(['backend', 'estimate']).nullable(),
  /** The files a code step wrote into a scratch copy of its working folder for its tests. */
  files: z.array(z.strictObject({ path: z.string(), bytes: z.number().int(), isNew: z.boolean() })),
  startedAt: Iso,
  finishedAt: Iso.nullable()
})
export type RunStep = z.infer<typeof RunStepSchema>

export const RunSummarySchema = z.strictObject({
  id: z.string(),
  workflowId: z.string(),
  workflowTitle: z.string(),
  title: z.string(),
  status: RunStatusSchema,
  /** The step at work or last worked on. */
  currentStep: z.string().nullable(),
  round: z.number().int(),
  maxRounds: z.number().int(),
  tokensUsed: z.number().int(),
  tokenBudget: z.number().int(),
  source: RunSourceSchema,
  error: z.string().nullable(),
  createdAt: Iso,
  updatedAt: Iso
})
export type RunSummary = z.infer<typeof RunSummarySchema>

export const APPLY_STATUSES = ['pending', 'applied', 'rejected', 'failed', 'cancelled'] as const
export const RunApplySchema = z.strictObject({
  approvalId: z.string(),
  folder: z.string(),
  step: z.string(),
  files: z.array(z.string()),
  status: z.enum(APPLY_STATUSES),
  /** Why it failed, or who rejected it and why. */
  message: z.string().nullable(),
  requestedAt: Iso,
  decidedAt: Iso.nullable()
})
export type RunApply = z.infer<typeof RunApplySchema>

export const RunDetailSchema = z.strictObject({
  run: RunSummarySchema,
  input: z.string(),
  steps: z.array(RunStepSchema),
  decisions: z.array(DecisionRowSchema),
  /** Knowledge entries the run filed. */
  filed: z.array(z.strictObject({ id: z.string(), title: z.string() })),
  /** Writing the accepted code files into the real folder, once a person approves; null when the run wrote no files. */
  apply: RunApplySchema.nullable()
})
export type RunDetail = z.infer<typeof RunDetailSchema>

export const RUN_PAGE_SIZE = 100
export const RUN_PAGE_MAX = 500

export const RunStartInputSchema = z.strictObject({
  workflowId: z.string().trim().min(1, 'Pick a workflow.').max(48),
  input: z
    .string()
    .trim()
    .min(10, 'Say what the workflow should work on, in at least 10 characters.')
    .max(50_000, 'The input may have at most 50000 characters; put longer material in the knowledge base and name it.'),
  title: z.string().trim().min(3).max(200).optional(),
  source: RunSourceSchema.default('form'),
  /** The chat message the run was made from. */
  messageId: z.string().min(1).max(200).optional(),
  /**
   * A project for the workflow's code steps: their files are tested with this command on a copy of the
   * folder, and written into it only when a person approves. Overrides the steps' own `tests`.
   */
  project: z
    .strictObject({
      folder: z.string().trim().min(1, 'Give the project folder.').max(1000),
      testCommand: z.string().trim().min(1, 'Give the command that runs the project’s tests, e.g. "npm test".').max(500)
    })
    .optional()
})
export type RunStartInput = z.input<typeof RunStartInputSchema>

export const PolicyCheckInputSchema = z.strictObject({
  text: z.string().max(200_000),
  /** Which workflow's rules to apply; the step narrows them to one role and its settings. */
  workflowId: z.string().trim().min(1).max(48).optional(),
  step: z.string().trim().min(1).max(48).optional(),
  role: z.string().trim().min(1).max(60).optional(),
  /** Tools the text's author wants to use, checked against the role's allowed tools. */
  tools: z.array(z.string().min(1).max(60)).max(50).default([])
})

export const PolicyViolationSchema = z.strictObject({
  policy: z.enum(['no_secrets', 'cite_sources', 'token_budget', 'allowed_tools']),
  message: z.string()
})
export type PolicyViolation = z.infer<typeof PolicyViolationSchema>

export const WORKFLOWS_CALLS = {
  'workflows.list': call({
    scope: 'read',
    summary:
      'The workflows that can be run (built-in and the data dir’s own), and every definition file that did not load with why.',
    input: EmptyInputSchema,
    output: z.strictObject({
      workflows: z.array(WorkflowEntrySchema),
      problems: z.array(DefinitionProblemSchema),
      userFolder: z.string()
    })
  }),
  'workflows.run': call({
    scope: 'write',
    summary: 'Starts a run of a workflow on the given input; its first step is queued as a task at once.',
    input: RunStartInputSchema,
    output: RunSummarySchema
  }),
  'workflows.runs.list': call({
    scope: 'read',
    summary: 'One page of runs, newest first, with a cursor to the next.',
    input: z.strictObject({ status: RunStatusSchema.optional(), ...pageInput(RUN_PAGE_SIZE, RUN_PAGE_MAX) }),
    output: z.strictObject({ runs: z.array(RunSummarySchema), nextCursor: NextCursorSchema })
  }),
  'workflows.runs.get': call({
    scope: 'read',
    summary: 'One run: its steps as a timeline with each package, the problems found and every decision.',
    input: z.strictObject({ id: z.string().min(1).max(200) }),
    output: RunDetailSchema
  }),
  'workflows.runs.cancel': call({
    scope: 'write',
    summary: 'Stops a run: its queued or running step task is cancelled and no further step starts.',
    input: z.strictObject({ id: z.string().min(1).max(200) }),
    output: RunSummarySchema
  }),
  'workflows.decisions.export': call({
    scope: 'read',
    summary:
      'The decision log (one run, or all) as canonical JSON with its SHA-256, so a copy can be checked byte for byte.',
    input: z.strictObject({ runId: z.string().min(1).max(200).optional() }),
    output: z.strictObject({ json: z.string(), sha256: z.string(), count: z.number().int() })
  }),
  'workflows.enforcePolicy': call({
    scope: 'read',
    summary:
      'Checks a text against the always-on policies (no secrets, sources where a step needs them, allowed tools) without running anything.',
    input: PolicyCheckInputSchema,
    output: z.strictObject({ allowed: z.boolean(), violations: z.array(PolicyViolationSchema) })
  })
} as const

export const WORKFLOWS_EVENTS = {
  /** A run changed: a step started, passed, was sent back or blocked, or the run ended. */
  'workflows.changed': RunSummarySchema
} as const
