import type { Approval, ApprovalSkip, ApprovalVerdictName } from '../../../../shared/contract/approvals-contract'
import { APPROVALS_PAGE_MAX } from '../../../../shared/contract/approvals-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { defineViewModel, type ViewModelApi } from '../view-model'

export type ApprovalsShow = 'pending' | 'decided'

/** What the last batch did, in words the panel shows until the next one. */
export interface BatchOutcome {
  readonly verdict: ApprovalVerdictName
  readonly decided: number
  readonly skipped: readonly ApprovalSkip[]
}

export interface ApprovalsData {
  readonly show: ApprovalsShow
  /** The requests shown (pending oldest first, or decided newest first); null until first read. */
  readonly approvals: readonly Approval[] | null
  /** Requests pending in all, whatever is shown. */
  readonly pending: number
  /** Ids ticked for the next batch; only pending ones can be. */
  readonly selected: ReadonlySet<string>
  readonly note: string
  readonly deciding: boolean
  readonly lastBatch: BatchOutcome | null
  readonly error: RpcError | null
}

export interface ApprovalsActions {
  refresh(): Promise<void>
  setShow(show: ApprovalsShow): Promise<void>
  toggle(id: string): void
  /** Ticks every pending request shown, or none when all already are. */
  toggleAll(): void
  setNote(note: string): void
  /** One batch: the ticked requests, or every pending one. */
  decide(verdict: ApprovalVerdictName, which: 'selected' | 'all'): Promise<void>
}

export type ApprovalsState = ApprovalsData & ApprovalsActions

/** Ticked ids that are still pending and shown: a request decided elsewhere drops out of the batch. */
export function selectedIds(state: Pick<ApprovalsData, 'approvals' | 'selected'>): string[] {
  return (state.approvals ?? []).filter((a) => a.status === 'pending' && state.selected.has(a.id)).map((a) => a.id)
}

async function read({ client, get, set }: ViewModelApi<ApprovalsState>): Promise<void> {
  const show = get().show
  const result = await client.call('approvals.list', { show, limit: APPROVALS_PAGE_MAX })
  // The tab changed while this page was read: the read for the new one answers.
  if (get().show !== show) return
  if (!result.ok) return set({ error: result.error })
  const shown = new Set(result.value.approvals.filter((a) => a.status === 'pending').map((a) => a.id))
  set((s) => ({
    approvals: result.value.approvals,
    pending: result.value.pending,
    selected: new Set([...s.selected].filter((id) => shown.has(id))),
    error: null
  }))
}

/** The Approvals panel: what waits for a person, ticked into batches, approved or rejected in one call. */
export const approvalsModel = defineViewModel<ApprovalsData, ApprovalsActions>({
  initialState: () => ({
    show: 'pending',
    approvals: null,
    pending: 0,
    selected: new Set(),
    note: '',
    deciding: false,
    lastBatch: null,
    error: null
  }),
  actions: (api) => {
    const { client, get, set } = api
    return {
      refresh: () => read(api),
      async setShow(show) {
        if (get().show === show) return
        set({ show, approvals: null, selected: new Set() })
        await read(api)
      },
      toggle(id) {
        const next = new Set(get().selected)
        if (next.has(id)) next.delete(id)
        else next.add(id)
        set({ selected: next })
      },
      toggleAll() {
        const pending = (get().approvals ?? []).filter((a) => a.status === 'pending').map((a) => a.id)
        const all = pending.length > 0 && pending.every((id) => get().selected.has(id))
        set({ selected: all ? new Set() : new Set(pending) })
      },
      setNote: (note) => set({ note }),
      async decide(verdict, which) {
        const ids = selectedIds(get())
        if (which === 'selected' && ids.length === 0) return
        const note = get().note.trim()
        set({ deciding: true, error: null })
        const result = await client.call('approvals.decide', {
          verdict,
          ...(which === 'all' ? { all: true as const } : { ids }),
          ...(note ? { note } : {})
        })
        if (!result.ok) return set({ deciding: false, error: result.error })
        set({
          deciding: false,
          note: '',
          selected: new Set(),
          lastBatch: { verdict, decided: result.value.decided.length, skipped: result.value.skipped }
        })
        await read(api)
      }
    }
  },
  events: {
    // Another window, the tray, kos or a workflow changed the queue.
    'approvals.changed': (_change, api) => void read(api)
  },
  reload: (api) => read(api)
})
