import { createStore, type StoreApi } from 'zustand/vanilla'
import type { BoardDecision, BoardDecisionSummary, BoardMember, BoardOutcome, BoardSource } from '../../../../shared/contract/board-contract'
import type { KosClient } from '../../../../shared/contract/client'
import type { RpcError } from '../../../../shared/contract/rpc-error'

export interface BoardFilters {
  readonly source: BoardSource | ''
  readonly outcome: BoardOutcome | ''
  readonly query: string
}

export interface BoardViewState {
  readonly decisions: BoardDecisionSummary[] | null
  readonly filters: BoardFilters
  readonly selected: BoardDecision | null
  readonly members: BoardMember[]
  readonly timeoutSec: number | null
  readonly modelConnected: boolean | null
  readonly error: RpcError | null
  readonly consulting: boolean
  refresh(): Promise<void>
  setFilters(filters: Partial<BoardFilters>): Promise<void>
  select(id: string | null): Promise<void>
  consult(question: string): Promise<RpcError | null>
}

/** `connect` subscribes to the core's events and returns the unsubscribe, for a view's effect. */
export type BoardViewStore = StoreApi<BoardViewState> & { connect(): () => void }

export function createBoardViewStore(client: KosClient, initial: string | null): BoardViewStore {
  const store = createStore<BoardViewState>()((set, get) => ({
    decisions: null,
    filters: { source: '', outcome: '', query: '' },
    selected: null,
    members: [],
    timeoutSec: null,
    modelConnected: null,
    error: null,
    consulting: false,
    async refresh() {
      const { source, outcome, query } = get().filters
      const [list, members] = await Promise.all([
        client.call('board.decisions.list', { ...(source ? { source } : {}), ...(outcome ? { outcome } : {}), ...(query.trim() ? { query: query.trim() } : {}) }),
        client.call('board.members', {})
      ])
      if (members.ok) set({ members: members.value.members, timeoutSec: members.value.timeoutSec, modelConnected: members.value.modelConnected })
      if (list.ok) set({ decisions: list.value.decisions, error: members.ok ? null : members.error })
      else set({ error: list.error })
    },
    async setFilters(filters) {
      set({ filters: { ...get().filters, ...filters } })
      await get().refresh()
    },
    async select(id) {
      if (!id) return set({ selected: null })
      const result = await client.call('board.decisions.get', { id })
      if (result.ok) set({ selected: result.value, error: null })
      else set({ error: result.error })
    },
    async consult(question) {
      set({ consulting: true })
      const result = await client.call('board.consult', { question })
      set({ consulting: false })
      if (!result.ok) return result.error
      set({ selected: result.value })
      await get().refresh()
      return null
    }
  }))
  const connect = (): (() => void) => {
    const offs = [
      client.on('board.decided', () => void store.getState().refresh()),
      client.onStatus((status) => {
        if (status !== 'connected') return
        void store.getState().refresh()
        const id = store.getState().selected?.id ?? initial
        if (id) void store.getState().select(id)
      })
    ]
    return () => offs.forEach((off) => off())
  }
  return Object.assign(store, { connect })
}
