import { createStore, type StoreApi } from 'zustand/vanilla'
import type { PlaybookRuleView } from '../../../../shared/contract/checklist-contract'
import type { KosClient } from '../../../../shared/contract/client'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import type { TaskErrorType } from '../../../../shared/contract/tasks-contract'

export interface ReviewRulesState {
  /** The playbook rule for each error type a task in review can carry; null until read. */
  readonly rules: Readonly<Partial<Record<TaskErrorType, PlaybookRuleView>>> | null
  /** The error type whose fix is running. */
  readonly fixing: TaskErrorType | null
  /** What the last "Fix and return" did, in the core's words. */
  readonly outcome: { readonly errorType: TaskErrorType; readonly ok: boolean; readonly message: string } | null
  readonly error: RpcError | null
  load(): Promise<void>
  /** Runs the rule's one-click fix, then returns the affected tasks to autoprocessing; a failed fix returns nothing. */
  fixAndReturn(errorType: TaskErrorType, taskIds: readonly string[]): Promise<void>
}

/** The manual-review card's playbook rules and its "Fix and return" action. */
export function createReviewRulesStore(client: KosClient): StoreApi<ReviewRulesState> & { dispose(): void } {
  const store = createStore<ReviewRulesState>()((set, get) => ({
    rules: null,
    fixing: null,
    outcome: null,
    error: null,
    async load() {
      const result = await client.call('checklist.errorRules', {})
      if (!result.ok) return set({ error: result.error })
      set({ rules: Object.fromEntries(result.value.map((r) => [r.errorType, r.rule])), error: null })
    },
    async fixAndReturn(errorType, taskIds) {
      const fix = get().rules?.[errorType]?.fix
      if (get().fixing) return
      set({ fixing: errorType, outcome: null })
      let done = ''
      if (fix) {
        const fixed = await client.call('checklist.fix', { fix })
        if (!fixed.ok) return set({ fixing: null, outcome: { errorType, ok: false, message: `The fix did not work, so no task was returned: ${fixed.error.message}` } })
        done = `${fixed.value.message} `
      }
      const returned = await client.call('tasks.requeue', { ids: [...taskIds] })
      set({
        fixing: null,
        outcome: returned.ok
          ? { errorType, ok: true, message: `${done}${returned.value.requeued.length} task${returned.value.requeued.length === 1 ? '' : 's'} returned to autoprocessing.` }
          : { errorType, ok: false, message: `${done}The tasks were not returned: ${returned.error.message}` }
      })
    }
  }))
  return Object.assign(store, { dispose: () => undefined })
}
