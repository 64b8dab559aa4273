import {
  BOARD_PAGE_SIZE,
  type BoardDecision,
  type BoardDecisionSummary,
  type BoardMember,
  type BoardOutcome,
  type BoardSource
} from '../../../../shared/contract/board-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import {
  applyChanges,
  EMPTY_PAGES,
  firstPage,
  loadNextPage,
  newestFirst,
  type ListShape,
  type PagedList
} from '../paged-list'
import { defineViewModel, type ViewModelApi } from '../view-model'

export interface BoardFilters {
  readonly source: BoardSource | ''
  readonly outcome: BoardOutcome | ''
  readonly query: string
}

export interface BoardData {
  /** Decisions matching the filters, newest first, a page at a time; null until first read. */
  readonly decisions: PagedList<BoardDecisionSummary> | null
  readonly filters: BoardFilters
  readonly selected: BoardDecision | null
  readonly members: BoardMember[]
  readonly timeoutSec: number | null
  readonly modelConnected: boolean | null
  readonly error: RpcError | null
  readonly consulting: boolean
}

export interface BoardActions {
  refresh(): Promise<void>
  /** The next page of decisions, asked for as the list scrolls near its end. */
  loadMore(): Promise<void>
  setFilters(filters: Partial<BoardFilters>): Promise<void>
  select(id: string | null): Promise<void>
  consult(question: string): Promise<RpcError | null>
}

export type BoardState = BoardData & BoardActions

/** The list's filters applied to one decision, as the store's SQL does (LIKE is case-insensitive for ASCII). */
export function matchesFilters(decision: BoardDecisionSummary, { source, outcome, query }: BoardFilters): boolean {
  const words = query.trim().toLowerCase()
  return (
    (source === '' || decision.source === source) &&
    (outcome === '' || decision.outcome === outcome) &&
    (words === '' || decision.question.toLowerCase().includes(words) || decision.decision.toLowerCase().includes(words))
  )
}

const listInput = ({
  source,
  outcome,
  query
}: BoardFilters): { source?: BoardSource; outcome?: BoardOutcome; query?: string } => ({
  ...(source ? { source } : {}),
  ...(outcome ? { outcome } : {}),
  ...(query.trim() ? { query: query.trim() } : {})
})

/** How the list orders decisions (newest first) and which it holds. */
const decisionShape = (filters: BoardFilters): ListShape<BoardDecisionSummary> => ({
  key: (d) => d.id,
  compare: newestFirst(
    (d: BoardDecisionSummary) => d.createdAt,
    (d) => d.id,
    true
  ),
  matches: (d) => matchesFilters(d, filters)
})

async function readList({ client, get, set }: ViewModelApi<BoardState>): Promise<void> {
  const filters = get().filters
  const [list, members] = await Promise.all([
    client.call('board.decisions.list', { ...listInput(filters), limit: BOARD_PAGE_SIZE }),
    client.call('board.members', {})
  ])
  if (members.ok)
    set({
      members: members.value.members,
      timeoutSec: members.value.timeoutSec,
      modelConnected: members.value.modelConnected
    })
  // Filters changed while this page was read: the read for the new ones will answer.
  if (get().filters !== filters) return
  if (list.ok)
    set({
      decisions: firstPage(list.value.decisions, list.value.nextCursor, null),
      error: members.ok ? null : members.error
    })
  else set({ error: list.error })
}

/** The Board view: decisions (filtered), the one opened, and asking the board. The parameter is the decision the URL names. */
export const boardModel = defineViewModel<BoardData, BoardActions, string | null>({
  initialState: () => ({
    decisions: null,
    filters: { source: '', outcome: '', query: '' },
    selected: null,
    members: [],
    timeoutSec: null,
    modelConnected: null,
    error: null,
    consulting: false
  }),
  actions: (api) => {
    const { client, get, set } = api
    return {
      refresh: () => readList(api),
      async loadMore() {
        const error = await loadNextPage(
          () => get().decisions ?? EMPTY_PAGES,
          (decisions) => set({ decisions }),
          (cursor) =>
            client.call('board.decisions.list', { ...listInput(get().filters), cursor, limit: BOARD_PAGE_SIZE }),
          (page) => page.decisions,
          (d) => d.id
        )
        if (error) set({ error })
      },
      async setFilters(filters) {
        set({ filters: { ...get().filters, ...filters } })
        await readList(api)
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
        await readList(api)
        return null
      }
    }
  },
  events: {
    'board.decided': (decision, { get, set }) => {
      const { decisions, filters } = get()
      if (decisions) set({ decisions: applyChanges(decisions, [decision], decisionShape(filters)) })
    }
  },
  async reload(api, initial) {
    const id = api.get().selected?.id ?? initial
    await Promise.all([readList(api), id ? api.get().select(id) : Promise.resolve()])
  }
})
