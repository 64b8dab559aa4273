import { z } from 'zod'
import { describeError } from '../../shared/describe-error'
import type { ChatModel } from '../ports/chat-model'
import { completeText } from '../ports/complete-text'
import type { DecisionLog } from '../ports/decision-log'
import type { ResultValidator, ValidationInput, ValidationVerdict } from '../ports/result-validator'
import { rubricKindOf, validatorInput, validatorPrompt, VERDICT_SCHEMA } from './rubrics'
import type { ValidationStore } from './validation-store'

const VerdictJson = z.strictObject({
  score: z.number().min(0).max(1),
  reasons: z.array(z.string().trim().min(1)).min(1)
})

export interface ResultValidatorDeps {
  /** Null while no model backend is connected: results then count unjudged. */
  readonly model: () => ChatModel | null
  readonly minScore: () => number
  readonly store: ValidationStore | null
  readonly decisions: () => DecisionLog | null
  /** The most one judgement may take; past it the result counts unjudged. */
  readonly timeoutMs: number
}

class Unjudged extends Error {}

/**
 * A model call with the rubric of the task's kind, its answer held to a JSON
 * schema by the backend. A validator that cannot judge (no model, a failed
 * backend, no answer in time, an answer outside the schema) lets the result
 * through unjudged and says why: a broken judge must never fail good work.
 */
export function createResultValidator(deps: ResultValidatorDeps): ResultValidator {
  async function judge(input: ValidationInput): Promise<{ score: number; reasons: string[]; model: string }> {
    const model = deps.model()
    if (!model) throw new Unjudged('no model backend is connected to run the validator')
    const timeout = AbortSignal.timeout(deps.timeoutMs)
    const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout
    let text: string
    let used: string
    try {
      const done = await completeText(model, {
        messages: [
          { role: 'system', content: validatorPrompt(rubricKindOf(input.kind)) },
          { role: 'user', content: validatorInput(input.instruction, input.result) }
        ],
        category: 'validation',
        size: 'light',
        signal,
        correlationId: input.correlationId,
        jsonSchema: { name: 'verdict', schema: VERDICT_SCHEMA }
      })
      text = done.text
      used = done.info.model
    } catch (error) {
      if (input.signal?.aborted) throw error
      if (timeout.aborted) throw new Unjudged(`the validator gave no verdict within ${deps.timeoutMs / 1000} s`)
      throw new Unjudged(`the validator's model failed: ${describeError(error)}`)
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new Unjudged(`the validator (${used}) answered something that is not JSON: "${text.slice(0, 120)}"`)
    }
    const verdict = VerdictJson.safeParse(parsed)
    if (!verdict.success)
      throw new Unjudged(
        `the validator (${used}) answered JSON outside its schema: ${verdict.error.issues[0]?.message ?? ''}`
      )
    return { ...verdict.data, model: used }
  }

  return {
    async validate(input) {
      const min = deps.minScore()
      const kind = rubricKindOf(input.kind)
      let verdict: ValidationVerdict
      try {
        const judged = await judge(input)
        verdict = { score: judged.score, passed: judged.score >= min, reasons: judged.reasons, model: judged.model }
      } catch (error) {
        if (!(error instanceof Unjudged)) throw error
        verdict = { score: min, passed: true, reasons: [error.message], model: null, unjudged: error.message }
      }
      const outcome = verdict.unjudged !== undefined ? 'unjudged' : verdict.passed ? 'passed' : 'failed'
      deps.store?.record({
        taskId: input.taskId,
        kind,
        outcome,
        score: verdict.unjudged !== undefined ? null : verdict.score,
        reasons: verdict.reasons,
        model: verdict.model
      })
      deps.decisions()?.record({
        runId: null,
        taskId: input.taskId,
        step: null,
        role: 'validator',
        decision: outcome === 'passed' ? 'accepted' : outcome === 'failed' ? 'rejected' : 'unjudged',
        kind: 'validation',
        reasons:
          verdict.unjudged !== undefined
            ? verdict.reasons
            : [`score ${verdict.score.toFixed(2)} (pass mark ${min})`, ...verdict.reasons],
        model: verdict.model,
        correlationId: input.correlationId
      })
      return verdict
    }
  }
}
