import type { HandlersFor } from '../rpc/handler-types'
import type { ChecklistService } from './checklist-service'
import { jsonReport, markdownReport } from './report'
import { refuse } from '../rpc/refusal'
import { TASK_ERROR_TYPES } from '../../shared/contract/tasks-contract'

export function checklistHandlers(checklist: ChecklistService): HandlersFor<'checklist'> {
  return {
    'checklist.latest': () => checklist.latest(),
    'checklist.run': () => checklist.run('manual'),
    'checklist.history': ({ limit }) =>
      checklist.history(limit).map((run) => ({
        id: run.id,
        trigger: run.trigger,
        startedAt: run.startedAt,
        verdict: run.verdict,
        counts: {
          pass: run.results.filter((r) => r.status === 'pass').length,
          warn: run.results.filter((r) => r.status === 'warn').length,
          fail: run.results.filter((r) => r.status === 'fail').length,
          error: run.results.filter((r) => r.status === 'error').length
        }
      })),
    'checklist.fix': ({ fix }) => checklist.fix(fix),
    'checklist.errorRules': () =>
      TASK_ERROR_TYPES.map((errorType) => ({ errorType, rule: checklist.ruleFor(errorType) })),
    'checklist.report': () => {
      const run = checklist.latest()
      if (!run) return refuse('not_found', 'The checklist has not run yet. Run it first, then export the report.')
      return { markdown: markdownReport(run), ...jsonReport(run) }
    }
  }
}
