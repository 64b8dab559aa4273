import { createStore, type StoreApi } from 'zustand/vanilla'
import type { KosClient } from '../../../../shared/contract/client'
import type { ChecklistRun } from '../../../../shared/contract/checklist-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'

type FixId = ChecklistRun['availableFixes'][number]

export interface RunSummary {
  readonly id: number
  readonly trigger: ChecklistRun['trigger']
  readonly startedAt: string
  readonly verdict: ChecklistRun['verdict']
  readonly counts: { readonly pass: number; readonly warn: number; readonly fail: number; readonly error: number }
}

export interface ChecklistState {
  readonly run: ChecklistRun | null
  readonly history: readonly RunSummary[]
  readonly loaded: boolean
  readonly running: boolean
  readonly fixing: FixId | null
  readonly message: string | null
  readonly error: RpcError | null
  load(): Promise<void>
  runAll(): Promise<void>
  fix(id: FixId): Promise<void>
  report(): Promise<{ markdown: string; json: string; sha256: string } | null>
}

export function createChecklistStore(client: KosClient): StoreApi<ChecklistState> & { dispose(): void } {
  const store = createStore<ChecklistState>()((set) => ({
    run: null,
    history: [],
    loaded: false,
    running: false,
    fixing: null,
    message: null,
    error: null,
    async load() {
      const [latest, history] = await Promise.all([client.call('checklist.latest', {}), client.call('checklist.history', { limit: 20 })])
      set({
        loaded: true,
        run: latest.ok ? latest.value : store.getState().run,
        history: history.ok ? history.value : store.getState().history,
        error: !latest.ok ? latest.error : !history.ok ? history.error : null
      })
    },
    async runAll() {
      set({ running: true, message: null })
      const result = await client.call('checklist.run', {})
      set({ running: false, ...(result.ok ? { run: result.value, error: null } : { error: result.error }) })
      if (result.ok) await store.getState().load()
    },
    async fix(id) {
      set({ fixing: id, message: null })
      const result = await client.call('checklist.fix', { fix: id })
      set({ fixing: null, ...(result.ok ? { run: result.value.run, message: result.value.message, error: null } : { error: result.error }) })
      if (result.ok) await store.getState().load()
    },
    async report() {
      const result = await client.call('checklist.report', {})
      if (!result.ok) {
        set({ error: result.error })
        return null
      }
      return result.value
    }
  }))
  const unsubscribe = client.on('checklist.completed', (run) => {
    store.setState({ run })
    void store.getState().load()
  })
  return Object.assign(store, { dispose: unsubscribe })
}
