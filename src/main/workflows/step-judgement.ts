import type {
  HandoffPackage,
  PolicyViolation,
  WorkflowDefinition,
  WorkflowStep,
  WorkflowTool
} from '../../shared/contract/workflows-contract'
import { firstWord, missingParts, parseAnswer } from './handoff-package'
import {
  budgetViolations,
  citationViolations,
  estimateTokens,
  redactSecrets,
  requestedTools,
  secretViolations,
  toolViolations
} from './policies'

/**
 * What the runner does with a step's answer, decided without I/O:
 * - `resend`: the package misses parts or broke a rule the step can fix; the same step answers again.
 * - `stop`: a rule the step cannot fix by answering again (the run's token budget is spent).
 * - `pass`: the package is complete and clean; for a review step, with its verdict.
 */
export type Judgement =
  | {
      readonly kind: 'resend'
      readonly pkg: HandoffPackage
      readonly missing: string[]
      readonly violations: PolicyViolation[]
    }
  | { readonly kind: 'stop'; readonly pkg: HandoffPackage; readonly violations: PolicyViolation[] }
  | {
      readonly kind: 'pass'
      readonly pkg: HandoffPackage
      readonly verdict: { readonly decision: 'accept' | 'send_back'; readonly reasons: string } | null
    }

export interface AnswerContext {
  readonly definition: WorkflowDefinition
  readonly step: WorkflowStep
  readonly answer: string
  /** Tokens the run spent before this answer, and this answer's own (prompt and answer). */
  readonly tokensBefore: number
  readonly tokens: number
}

/** The tools the runner will use on the step's behalf, which its role must be allowed. */
export function toolsOf(step: WorkflowStep): WorkflowTool[] {
  return [
    ...(step.action === 'file_knowledge' ? (['file_knowledge'] as const) : []),
    ...(step.action === 'consult_board' ? (['consult_board'] as const) : []),
    ...(step.tests ? (['run_tests'] as const) : [])
  ]
}

/** The rules over what a step is given: no secrets, and a budget left for it. */
export function inputViolations(
  definition: WorkflowDefinition,
  step: WorkflowStep,
  prompt: string,
  tokensBefore: number
): PolicyViolation[] {
  return [
    ...secretViolations(prompt, 'input'),
    ...toolViolations(step.role, toolsOf(step), definition.allowedTools),
    ...budgetViolations(tokensBefore, estimateTokens(prompt), definition.tokenBudget)
  ]
}

export function judgeAnswer({ definition, step, answer, tokensBefore, tokens }: AnswerContext): Judgement {
  const secrets = secretViolations(answer, 'output')
  // What is kept and handed on never holds the key, even when the step is sent back for it.
  const clean = secrets.length ? redactSecrets(answer) : answer
  const parsed = parseAnswer(clean, step.package)
  const pkg = parsed.package
  const budget = budgetViolations(tokensBefore, tokens, definition.tokenBudget)
  if (budget.length) return { kind: 'stop', pkg, violations: budget }
  const violations = [
    ...secrets,
    ...toolViolations(step.role, requestedTools(clean), definition.allowedTools),
    ...citationViolations(pkg.sources, step.citeSources)
  ]
  const missing = missingParts(parsed, step.package, step.citeSources)
  if (violations.length || missing.length) return { kind: 'resend', pkg, missing, violations }
  if (!step.review) return { kind: 'pass', pkg, verdict: null }
  const word = firstWord(pkg.fields[step.review.verdictField] ?? '')
  return {
    kind: 'pass',
    pkg,
    verdict: {
      decision: word === 'accept' ? 'accept' : 'send_back',
      reasons: pkg.fields[step.review.reasonsField] ?? pkg.summary
    }
  }
}

export { estimateTokens }
