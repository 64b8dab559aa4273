import type { HandlersFor } from '../rpc/handler-types'
import type { EscalationStore } from './escalation-store'
import type { TestRunStore } from './test-run-store'
import type { ValidationStore } from './validation-store'

const DAY_MS = 24 * 60 * 60 * 1000

export function validationHandlers(
  stores: { validations: ValidationStore; testRuns: TestRunStore; escalations: EscalationStore },
  now: () => number = Date.now
): HandlersFor<'validation'> {
  return {
    'validation.task': ({ id }) => ({
      verdicts: stores.validations
        .ofTask(id)
        .map(({ taskId: _taskId, reasons, ...v }) => ({ ...v, reasons: [...reasons] })),
      testRuns: stores.testRuns.ofTask(id).map(({ command, cwd, outcome, at }) => {
        const finished = outcome.status === 'passed' || outcome.status === 'failed' ? outcome : null
        return {
          command,
          cwd,
          at,
          status: outcome.status,
          passed: finished?.passed ?? null,
          failed: finished?.failed ?? null,
          coveragePercent: finished?.coveragePercent ?? null,
          format: finished?.format ?? null,
          message: finished ? null : (outcome as { message: string }).message,
          durationMs: outcome.durationMs
        }
      }),
      escalations: stores.escalations.ofTask(id).map(({ taskId: _taskId, nextNode: _node, ...e }) => e)
    }),
    'validation.counts': () => stores.validations.counts(now() - DAY_MS)
  }
}
