import type { ChecklistRun } from '../../../../shared/contract/checklist-contract'
import type { CallOutput } from '../../../../shared/contract/contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { defineViewModel, type ViewModelApi } from '../view-model'

export type FixId = ChecklistRun['availableFixes'][number]

export type RunSummary = CallOutput<'checklist.history'>[number]

export interface ChecklistData {
  readonly run: ChecklistRun | null
  readonly history: readonly RunSummary[]
  readonly loaded: boolean
  readonly running: boolean
  readonly fixing: FixId | null
  readonly message: string | null
  readonly error: RpcError | null
}

export interface ChecklistActions {
  runAll(): Promise<void>
  fix(id: FixId): Promise<void>
  report(): Promise<{ markdown: string; json: string; sha256: string } | null>
}

export type ChecklistState = ChecklistData & ChecklistActions

export const HISTORY_KEPT = 20

export function summarize(run: ChecklistRun): RunSummary {
  const counts = { pass: 0, warn: 0, fail: 0, error: 0 }
  for (const result of run.results) counts[result.status] += 1
  return { id: run.id, trigger: run.trigger, startedAt: run.startedAt, verdict: run.verdict, counts }
}

/** A finished run becomes the one shown and the newest line of the history, without a re-read. */
function applyRun(run: ChecklistRun, { get, set }: ViewModelApi<ChecklistState>): void {
  const current = get().run
  if (current && current.id > run.id) return
  set({ run, history: [summarize(run), ...get().history.filter((h) => h.id !== run.id)].slice(0, HISTORY_KEPT) })
}

export const checklistModel = defineViewModel<ChecklistData, ChecklistActions>({
  initialState: () => ({
    run: null,
    history: [],
    loaded: false,
    running: false,
    fixing: null,
    message: null,
    error: null
  }),
  actions: (api) => ({
    async runAll() {
      api.set({ running: true, message: null })
      const result = await api.client.call('checklist.run', {})
      api.set({ running: false, error: result.ok ? null : result.error })
      if (result.ok) applyRun(result.value, api)
    },
    async fix(id) {
      api.set({ fixing: id, message: null })
      const result = await api.client.call('checklist.fix', { fix: id })
      api.set({
        fixing: null,
        ...(result.ok ? { message: result.value.message, error: null } : { error: result.error })
      })
      if (result.ok) applyRun(result.value.run, api)
    },
    async report() {
      const result = await api.client.call('checklist.report', {})
      if (result.ok) return result.value
      api.set({ error: result.error })
      return null
    }
  }),
  events: {
    'checklist.completed': applyRun
  },
  async reload({ client, get, set }) {
    const [latest, history] = await Promise.all([
      client.call('checklist.latest', {}),
      client.call('checklist.history', { limit: HISTORY_KEPT })
    ])
    set({
      loaded: true,
      run: latest.ok ? latest.value : get().run,
      history: history.ok ? history.value : get().history,
      error: !latest.ok ? latest.error : !history.ok ? history.error : null
    })
  }
})
