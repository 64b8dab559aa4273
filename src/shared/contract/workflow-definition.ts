import { z } from 'zod'

/**
 * A workflow as data: its steps, the role (expert) that does each, the
 * prompt it gets, the hand-off package it must produce and the policies that
 * hold over it. Built-ins ship in resources/workflows/, a person's own go in
 * the data dir's workflows/ folder; both are checked against this schema when
 * they are loaded.
 */
const Slug = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,47}$/, 'Use 1–48 lower-case letters, digits, "-" or "_", starting with a letter.')

/** Kinds a step can be: the validator's rubric is picked by it, and `code` steps may run tests. */
export const STEP_KINDS = ['code', 'research', 'summary', 'review', 'librarian', 'draft', 'general'] as const
export const StepKindSchema = z.enum(STEP_KINDS)
export type StepKind = z.infer<typeof StepKindSchema>

/** What the runner itself does with a passed package, beyond handing it on. */
export const STEP_ACTIONS = ['none', 'file_knowledge', 'consult_board'] as const
export const StepActionSchema = z.enum(STEP_ACTIONS)
export type StepAction = z.infer<typeof StepActionSchema>

/** Tools a role may be allowed: what the runner does on a step's behalf, and what an answer may ask for. */
export const WORKFLOW_TOOLS = ['file_knowledge', 'consult_board', 'run_tests', 'search_knowledge', 'web'] as const
export const WorkflowToolSchema = z.enum(WORKFLOW_TOOLS)
export type WorkflowTool = z.infer<typeof WorkflowToolSchema>

export const PackageFieldSchema = z.strictObject({
  /** The section's heading in the answer, e.g. `Verdict` for `## Verdict`. */
  name: z.string().trim().min(1).max(60),
  /** Fewest characters the section must hold. */
  minChars: z.number().int().min(1).max(20_000).default(1),
  /** When set, the section must be one of these words (case-insensitive), e.g. a reviewer's verdict. */
  oneOf: z.array(z.string().trim().min(1).max(40)).min(2).max(10).optional(),
  /** What the section is for, told to the model. */
  hint: z.string().max(300).default('')
})
export type PackageField = z.infer<typeof PackageFieldSchema>

/** The hand-off package a step must produce; the parts not asked for may still be given. */
export const PackageSpecSchema = z.strictObject({
  summaryMinChars: z.number().int().min(1).max(20_000).default(40),
  minArtifacts: z.number().int().min(0).max(50).default(0),
  minSources: z.number().int().min(0).max(50).default(0),
  /** Open questions may be none, but the section must be there so "none" is a statement, not an omission. */
  requireOpenQuestions: z.boolean().default(false),
  fields: z.array(PackageFieldSchema).max(12).default([])
})
export type PackageSpec = z.infer<typeof PackageSpecSchema>

export const StepTestsSchema = z.strictObject({
  command: z.string().trim().min(1).max(500),
  /**
   * The project's folder, absolute or relative to the data dir. The step's files
   * (fenced blocks naming a path) are written into a scratch copy of it and the
   * command runs there; the real folder changes only when a person approves.
   */
  cwd: z.string().trim().min(1).max(1000),
  timeoutSec: z.number().int().min(1).max(3600).default(300),
  minCoveragePercent: z.number().min(0).max(100).optional()
})

export const StepReviewSchema = z.strictObject({
  /** The field holding the verdict; its `oneOf` must include `accept` and `send_back`. */
  verdictField: z.string().trim().min(1).max(60).default('Verdict'),
  /** The field holding the reasons sent back. */
  reasonsField: z.string().trim().min(1).max(60).default('Reasons'),
  /** The earlier step that gets the work back. */
  sendBackTo: Slug
})

export type StepTests = z.infer<typeof StepTestsSchema>

export const WorkflowStepSchema = z.strictObject({
  name: Slug,
  /** The expert who does it (`coder`, `librarian`, `reviewer`…). */
  role: z.string().trim().min(1).max(60),
  /** The expert the step's task is assigned to; the role's name when absent. */
  expert: z.string().trim().min(1).max(60).optional(),
  kind: StepKindSchema.default('general'),
  /** With {{input}}, {{round}}, {{feedback}} and {{steps.<name>.<part>}} (summary, artifacts, sources, open_questions, or a field's name). */
  prompt: z.string().trim().min(10).max(20_000),
  /** Earlier steps whose packages this step reads; each must come before it. */
  inputs: z.array(Slug).max(12).default([]),
  package: PackageSpecSchema.default({
    summaryMinChars: 40,
    minArtifacts: 0,
    minSources: 0,
    requireOpenQuestions: false,
    fields: []
  }),
  action: StepActionSchema.default('none'),
  /** A person must approve before the step runs (financial, destructive or external work). */
  approval: z.strictObject({ reason: z.string().trim().min(5).max(500) }).optional(),
  /** The answer must name at least one source (URL, file or knowledge entry). */
  citeSources: z.boolean().default(false),
  /** Judge the package with the result validator before handing it on. */
  validate: z.boolean().default(true),
  tests: StepTestsSchema.optional(),
  review: StepReviewSchema.optional(),
  /** How often a package may be sent back to this step for missing parts before the run fails. */
  maxAttempts: z.number().int().min(1).max(10).default(3)
})
export type WorkflowStep = z.infer<typeof WorkflowStepSchema>

export const WorkflowDefinitionSchema = z
  .strictObject({
    id: Slug,
    title: z.string().trim().min(3).max(120),
    description: z.string().trim().min(10).max(2000),
    /** How many times a reviewer may send the work back before the run ends. */
    maxRounds: z.number().int().min(1).max(10).default(3),
    /** Tokens the whole run may spend (prompts and answers, counted or estimated at 4 characters a token). */
    tokenBudget: z.number().int().min(1000).max(10_000_000).default(60_000),
    /** Tools each role may use; a role not listed may use none. */
    allowedTools: z.record(z.string(), z.array(WorkflowToolSchema)).default({}),
    steps: z.array(WorkflowStepSchema).min(1).max(20)
  })
  .superRefine((def, ctx) => {
    const seen = new Set<string>()
    def.steps.forEach((step, i) => {
      if (seen.has(step.name))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'name'], message: `Step "${step.name}" is named twice.` })
      for (const [j, input] of step.inputs.entries())
        if (!seen.has(input))
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'inputs', j],
            message: `Step "${step.name}" reads "${input}", which is not an earlier step; list only steps above it.`
          })
      if (step.review) {
        if (!seen.has(step.review.sendBackTo))
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'review', 'sendBackTo'],
            message: `"${step.review.sendBackTo}" is not a step before "${step.name}"; send back to an earlier step.`
          })
        const verdict = step.package.fields.find((f) => f.name === step.review?.verdictField)
        const words = verdict?.oneOf?.map((w) => w.toLowerCase()) ?? []
        if (!words.includes('accept') || !words.includes('send_back'))
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'package', 'fields'],
            message: `A review step needs a "${step.review.verdictField}" field with oneOf including "accept" and "send_back".`
          })
      }
      seen.add(step.name)
    })
  })
export type WorkflowDefinition = z.infer<typeof WorkflowDefinitionSchema>
export type WorkflowDefinitionInput = z.input<typeof WorkflowDefinitionSchema>
