import {
  KNOWLEDGE_PAGE_SIZE,
  type ImportProgress,
  type ImportReport,
  type KnowledgeNode,
  type KnowledgeNodeSummary,
  type KnowledgeSearchOutput,
  type KnowledgeStats
} from '../../../../shared/contract/knowledge-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { EMPTY_PAGES, firstPage, loadNextPage, type PagedList } from '../paged-list'
import { defineViewModel, type ViewModelApi } from '../view-model'
import { countOf } from '../../../../shared/count-of'

export interface KnowledgeData {
  readonly stats: KnowledgeStats | null
  /** Documents, most recently changed first, a page at a time. */
  readonly documents: PagedList<KnowledgeNodeSummary>
  readonly loaded: boolean
  readonly refreshing: boolean
  readonly loadError: RpcError | null

  readonly results: KnowledgeSearchOutput | null
  /** The query the results are for. */
  readonly searchedFor: string
  readonly searching: boolean
  readonly searchError: RpcError | null

  readonly detail: KnowledgeNode | null
  readonly detailLoading: boolean
  readonly detailError: RpcError | null

  readonly importing: boolean
  readonly progress: ImportProgress | null
  readonly report: ImportReport | null
  readonly importError: RpcError | null

  readonly busy: 'adding' | 'deleting' | 'reembedding' | null
  readonly actionError: RpcError | null
  readonly notice: string | null
}

export interface KnowledgeActions {
  refresh(): Promise<void>
  /** The next page of documents, asked for as the list scrolls near its end. */
  loadMore(): Promise<void>
  search(query: string, domain: string | null): Promise<void>
  clearSearch(): void
  open(id: string): Promise<void>
  close(): void
  importFolder(path: string, domain: string | null): Promise<void>
  addText(input: { title: string; content: string; domain: string | null }): Promise<boolean>
  remove(id: string): Promise<void>
  reembed(): Promise<void>
  clearResponseCache(): Promise<void>
}

export type KnowledgeState = KnowledgeData & KnowledgeActions

async function readAll({ client, get, set }: ViewModelApi<KnowledgeState>): Promise<void> {
  set({ refreshing: true })
  const [stats, list] = await Promise.all([
    client.call('knowledge.stats', {}),
    client.call('knowledge.list', { limit: KNOWLEDGE_PAGE_SIZE })
  ])
  set({
    refreshing: false,
    loaded: true,
    stats: stats.ok ? stats.value : get().stats,
    ...(list.ok ? { documents: firstPage(list.value.nodes, list.value.nextCursor, list.value.total) } : {}),
    loadError: !stats.ok ? stats.error : !list.ok ? list.error : null
  })
}

/**
 * A change (an import, an edit, an embedding pass) may touch any document and
 * moves it to the top, and its event carries only the stats: the first page
 * is read again, one page whatever the size of the base.
 */
async function readFirstPage({ client, set }: ViewModelApi<KnowledgeState>): Promise<void> {
  const list = await client.call('knowledge.list', { limit: KNOWLEDGE_PAGE_SIZE })
  if (list.ok) set({ documents: firstPage(list.value.nodes, list.value.nextCursor, list.value.total) })
}

/** The Knowledge view's state, read from the core and kept current by its events. */
export const knowledgeModel = defineViewModel<KnowledgeData, KnowledgeActions>({
  initialState: () => ({
    stats: null,
    documents: EMPTY_PAGES,
    loaded: false,
    refreshing: false,
    loadError: null,
    results: null,
    searchedFor: '',
    searching: false,
    searchError: null,
    detail: null,
    detailLoading: false,
    detailError: null,
    importing: false,
    progress: null,
    report: null,
    importError: null,
    busy: null,
    actionError: null,
    notice: null
  }),
  actions: (api) => {
    const { client, get, set } = api
    return {
      refresh: () => readAll(api),

      async loadMore() {
        const error = await loadNextPage(
          () => get().documents,
          (documents) => set({ documents }),
          (cursor) => client.call('knowledge.list', { limit: KNOWLEDGE_PAGE_SIZE, cursor }),
          (page) => page.nodes,
          (n) => n.id
        )
        if (error) set({ loadError: error })
      },

      async search(query, domain) {
        if (query.trim() === '') {
          set({ results: null, searchedFor: '', searchError: null })
          return
        }
        set({ searching: true, searchError: null })
        const result = await client.call('knowledge.search', domain ? { query, domain } : { query })
        set({
          searching: false,
          ...(result.ok ? { results: result.value, searchedFor: query } : { searchError: result.error })
        })
      },

      clearSearch: () => set({ results: null, searchedFor: '', searchError: null }),

      async open(id) {
        set({ detailLoading: true, detailError: null })
        const result = await client.call('knowledge.get', { id })
        set({
          detailLoading: false,
          ...(result.ok ? { detail: result.value } : { detail: null, detailError: result.error })
        })
      },

      close: () => set({ detail: null, detailError: null }),

      async importFolder(path, domain) {
        set({ importing: true, importError: null, report: null, progress: null })
        const result = await client.call('knowledge.importFolder', domain ? { path, domain } : { path })
        set({ importing: false, ...(result.ok ? { report: result.value } : { importError: result.error }) })
      },

      async addText({ title, content, domain }) {
        set({ busy: 'adding', actionError: null, notice: null })
        const result = await client.call('knowledge.addText', domain ? { title, content, domain } : { title, content })
        set({
          busy: null,
          ...(result.ok
            ? { notice: `Added “${result.value.title}” (${countOf(result.value.chunkCount, 'chunk')}).` }
            : { actionError: result.error })
        })
        return result.ok
      },

      async remove(id) {
        set({ busy: 'deleting', actionError: null, notice: null })
        const result = await client.call('knowledge.delete', { id })
        const title = get().detail?.title ?? 'the document'
        set({
          busy: null,
          ...(result.ok ? { notice: `Deleted “${title}”.`, detail: null } : { actionError: result.error })
        })
        const { results } = get()
        if (result.ok && results) set({ results: { ...results, hits: results.hits.filter((h) => h.node.id !== id) } })
      },

      async reembed() {
        set({ busy: 'reembedding', actionError: null, notice: null })
        const result = await client.call('knowledge.reembed', {})
        set({
          busy: null,
          ...(result.ok
            ? { notice: 'Re-embedding started; search by meaning switches to the new model when it is complete.' }
            : { actionError: result.error })
        })
      },

      async clearResponseCache() {
        const result = await client.call('knowledge.clearResponseCache', {})
        set(
          result.ok
            ? { notice: `Forgot ${result.value.removed} cached answers.`, actionError: null }
            : { actionError: result.error }
        )
      }
    }
  },
  events: {
    // Every change of the base (this view's own adds, deletes and imports too) comes back as this event.
    'knowledge.changed': (stats, api) => {
      const before = api.get().stats
      api.set({ stats })
      // Embedding progress moves only the embedded counts; documents come and go, or are re-cut, otherwise.
      if (!before || before.nodes !== stats.nodes || before.chunks !== stats.chunks) void readFirstPage(api)
    },
    'knowledge.importProgress': (progress, { set }) => set({ progress })
  },
  reload: readAll
})
