import { ProcessingError, type TaskProcessor } from '../ports/task-processor'
import type { ResultValidator } from '../ports/result-validator'

export interface ValidatedProcessorOptions {
  readonly validator: ResultValidator
  readonly enabled: () => boolean
  /** Results shorter than this are left to the engine's own checks (empty or short answer): no model is asked about them. */
  readonly minAnswerChars: () => number
  /** Told each time a result counts unjudged, for the owner's counts. */
  /** With the task's correlation id, so the line joins the trail of the request that made the task. */
  readonly onUnjudged?: (task: { readonly id: string; readonly correlationId: string }, why: string) => void
}

/**
 * The task engine's processor with a judge behind it: each answer is scored
 * against the rubric of the task's kind before it is handed back, and one
 * under worker.minValidatorScore fails the attempt as `validation_failed`
 * with the validator's reasons. What the validator did is a line in the
 * task's events either way.
 */
export function validatedProcessor(inner: TaskProcessor, options: ValidatedProcessorOptions): TaskProcessor {
  return {
    plan: (task) => inner.plan(task),
    ensureReady: (plan, ctx) => inner.ensureReady(plan, ctx),
    load: () => inner.load(),
    async process(task, plan, ctx) {
      const answer = await inner.process(task, plan, ctx)
      if (!options.enabled() || answer.trim().length < options.minAnswerChars()) return answer
      const verdict = await options.validator.validate({
        taskId: task.id,
        kind: task.domain ?? 'general',
        instruction: task.description.trim() ? `${task.title}\n\n${task.description}` : task.title,
        result: answer,
        correlationId: task.correlationId,
        signal: ctx.signal
      })
      if (verdict.unjudged !== undefined) {
        ctx.progress(`Not validated: ${verdict.unjudged}. The result counts unjudged.`)
        options.onUnjudged?.(task, verdict.unjudged)
        return answer
      }
      const said = `${verdict.score.toFixed(2)} by ${verdict.model ?? 'the validator'}`
      if (!verdict.passed)
        throw new ProcessingError(
          'validation_failed',
          `The validator scored the result ${said}, under the pass mark: ${verdict.reasons.map((r) => r.replace(/[\s.;]+$/, '')).join('; ')}.`
        )
      ctx.progress(`Validated: scored ${said}.`)
      return answer
    }
  }
}
