import type { PlaybookRuleView } from '../../../../shared/contract/checklist-contract'
import {
  REVIEW_SUGGEST_MAX,
  type ReviewChoices,
  type ReviewSuggestion
} from '../../../../shared/contract/review-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import type { TaskErrorType, TaskSummary } from '../../../../shared/contract/tasks-contract'
import { defineViewModel } from '../view-model'

export interface ReviewRulesData {
  /** The playbook rule for each error type a task in review can carry; null until read. */
  readonly rules: Readonly<Partial<Record<TaskErrorType, PlaybookRuleView>>> | null
  /** The error type whose fix is running. */
  readonly fixing: TaskErrorType | null
  /** What the last "Fix and return" did, in the core's words. */
  readonly outcome: { readonly errorType: TaskErrorType; readonly ok: boolean; readonly message: string } | null
  readonly error: RpcError | null
  /** What the app would try for each task in review (expert, model), by task id, as last asked. */
  readonly suggestions: Readonly<Record<string, ReviewSuggestion>>
  /** The task being returned with its suggestion. */
  readonly returning: string | null
  /** Why returning a task with another model or expert failed, by task id, in the core's words. */
  readonly returnErrors: Readonly<Record<string, string>>
  /** Every chat model and expert a task can be returned with, read when a person opens the choice; null until then. */
  readonly choices: ReviewChoices | null
}

/** Another model (on its node) and/or expert for a task returned from review; absent parts stay as they were. */
export interface ReturnChoice {
  readonly model?: { readonly node: string; readonly name: string }
  readonly expert?: { readonly id: string }
}

export interface ReviewRulesActions {
  /** Runs the rule's one-click fix, then returns the affected tasks to autoprocessing; a failed fix returns nothing. */
  fixAndReturn(errorType: TaskErrorType, taskIds: readonly string[]): Promise<void>
  /** Asks the core for the expert and model to suggest for these tasks in review (the ones on screen). */
  suggest(taskIds: readonly string[]): Promise<void>
  /** Returns the task to autoprocessing with what its suggestion changes (selectReturnWith). */
  returnWithSuggestion(task: TaskSummary): Promise<void>
  /** Returns the task to autoprocessing with the model and/or expert a person chose. */
  returnWith(task: TaskSummary, choice: ReturnChoice): Promise<void>
  /** Reads the models and experts to choose from. */
  loadChoices(): Promise<void>
}

/** What "Return with …" would change for a task: the suggested model, and the expert unless already assigned. */
export interface ReturnWith {
  readonly model: { readonly node: string; readonly name: string } | null
  readonly expert: { readonly id: string; readonly name: string } | null
  /** The button's words, e.g. "Return with qwen2.5:7b / expert Igor". */
  readonly label: string
}

/** The return a task's suggestion offers, or null when it would change nothing (no other model, expert already assigned). */
export function selectReturnWith(state: ReviewRulesData, task: TaskSummary): ReturnWith | null {
  const suggestion = state.suggestions[task.id]
  if (!suggestion) return null
  const model = suggestion.model && { node: suggestion.model.node, name: suggestion.model.model }
  const expert =
    suggestion.expert && suggestion.expert.id !== task.assigneeExpert
      ? { id: suggestion.expert.id, name: suggestion.expert.name }
      : null
  if (!model && !expert) return null
  return {
    model,
    expert,
    label: `Return with ${[model?.name, expert ? `expert ${expert.name}` : null].filter(Boolean).join(' / ')}`
  }
}

export type ReviewRulesState = ReviewRulesData & ReviewRulesActions

/** The manual-review card's playbook rules and its "Fix and return" action. */
export const reviewRulesModel = defineViewModel<ReviewRulesData, ReviewRulesActions>({
  initialState: () => ({
    rules: null,
    fixing: null,
    outcome: null,
    error: null,
    suggestions: {},
    returning: null,
    returnErrors: {},
    choices: null
  }),
  actions: ({ client, get, set }) => ({
    async returnWithSuggestion(task) {
      const change = selectReturnWith(get(), task)
      if (!change) return
      await get().returnWith(task, {
        ...(change.model ? { model: change.model } : {}),
        ...(change.expert ? { expert: change.expert } : {})
      })
    },
    async loadChoices() {
      const result = await client.call('review.choices', {})
      if (!result.ok) return set({ error: result.error })
      set({ choices: result.value })
    },
    async returnWith(task, choice) {
      if ((!choice.model && !choice.expert) || get().returning) return
      set({ returning: task.id })
      const result = await client.call('review.return', {
        id: task.id,
        ...(choice.model ? { model: choice.model.name, node: choice.model.node } : {}),
        ...(choice.expert ? { expert: choice.expert.id } : {})
      })
      // A returned task leaves the review list with the tasks.changed that follows; a refusal stays beside it.
      set((s) => {
        const returnErrors = { ...s.returnErrors }
        if (result.ok) delete returnErrors[task.id]
        else returnErrors[task.id] = result.error.message
        return { returning: null, returnErrors }
      })
    },
    async fixAndReturn(errorType, taskIds) {
      const fix = get().rules?.[errorType]?.fix
      if (get().fixing) return
      set({ fixing: errorType, outcome: null })
      let done = ''
      if (fix) {
        const fixed = await client.call('checklist.fix', { fix })
        if (!fixed.ok)
          return set({
            fixing: null,
            outcome: {
              errorType,
              ok: false,
              message: `The fix did not work, so no task was returned: ${fixed.error.message}`
            }
          })
        done = `${fixed.value.message} `
      }
      const returned = await client.call('tasks.requeue', { ids: [...taskIds] })
      const n = returned.ok ? returned.value.requeued.length : 0
      set({
        fixing: null,
        outcome: returned.ok
          ? { errorType, ok: true, message: `${done}${n} task${n === 1 ? '' : 's'} returned to autoprocessing.` }
          : { errorType, ok: false, message: `${done}The tasks were not returned: ${returned.error.message}` }
      })
    },
    async suggest(taskIds) {
      const ids = taskIds.slice(0, REVIEW_SUGGEST_MAX)
      if (ids.length === 0) return set({ suggestions: {} })
      const result = await client.call('review.suggest', { ids })
      if (!result.ok) return set({ error: result.error })
      set({ suggestions: Object.fromEntries(result.value.map((s) => [s.taskId, s])) })
    }
  }),
  async reload({ client, set }) {
    const result = await client.call('checklist.errorRules', {})
    if (!result.ok) return set({ error: result.error })
    set({ rules: Object.fromEntries(result.value.map((r) => [r.errorType, r.rule])), error: null })
  }
})
