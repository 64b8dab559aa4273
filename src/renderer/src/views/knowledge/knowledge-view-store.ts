import { createStore, type StoreApi } from 'zustand/vanilla'
import type { KosClient } from '../../../../shared/contract/client'
import type { ImportProgress, ImportReport, KnowledgeNode, KnowledgeNodeSummary, KnowledgeSearchOutput, KnowledgeStats } from '../../../../shared/contract/knowledge-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'

export interface KnowledgeViewState {
  readonly stats: KnowledgeStats | null
  readonly nodes: readonly KnowledgeNodeSummary[]
  readonly total: number
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

  refresh(): Promise<void>
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

export type KnowledgeViewStore = StoreApi<KnowledgeViewState> & { dispose(): void }

const LIST_LIMIT = 200

/** The Knowledge view's state, read from the core and kept current by its events. */
export function createKnowledgeViewStore(client: KosClient): KnowledgeViewStore {
  const store = createStore<KnowledgeViewState>()((set, get) => ({
    stats: null,
    nodes: [],
    total: 0,
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
    notice: null,

    async refresh() {
      set({ refreshing: true })
      const [stats, list] = await Promise.all([client.call('knowledge.stats', {}), client.call('knowledge.list', { limit: LIST_LIMIT })])
      set({
        refreshing: false,
        loaded: true,
        stats: stats.ok ? stats.value : get().stats,
        nodes: list.ok ? list.value.nodes : get().nodes,
        total: list.ok ? (list.value.total ?? list.value.nodes.length) : get().total,
        loadError: !stats.ok ? stats.error : !list.ok ? list.error : null
      })
    },

    async search(query, domain) {
      if (query.trim() === '') {
        set({ results: null, searchedFor: '', searchError: null })
        return
      }
      set({ searching: true, searchError: null })
      const result = await client.call('knowledge.search', domain ? { query, domain } : { query })
      set({ searching: false, ...(result.ok ? { results: result.value, searchedFor: query } : { searchError: result.error }) })
    },

    clearSearch: () => set({ results: null, searchedFor: '', searchError: null }),

    async open(id) {
      set({ detailLoading: true, detailError: null })
      const result = await client.call('knowledge.get', { id })
      set({ detailLoading: false, ...(result.ok ? { detail: result.value } : { detail: null, detailError: result.error }) })
    },

    close: () => set({ detail: null, detailError: null }),

    async importFolder(path, domain) {
      set({ importing: true, importError: null, report: null, progress: null })
      const result = await client.call('knowledge.importFolder', domain ? { path, domain } : { path })
      set({ importing: false, ...(result.ok ? { report: result.value } : { importError: result.error }) })
      await get().refresh()
    },

    async addText({ title, content, domain }) {
      set({ busy: 'adding', actionError: null, notice: null })
      const result = await client.call('knowledge.addText', domain ? { title, content, domain } : { title, content })
      set({ busy: null, ...(result.ok ? { notice: `Added “${result.value.title}” (${result.value.chunkCount} chunks).` } : { actionError: result.error }) })
      await get().refresh()
      return result.ok
    },

    async remove(id) {
      set({ busy: 'deleting', actionError: null, notice: null })
      const result = await client.call('knowledge.delete', { id })
      const title = get().detail?.title ?? 'the document'
      set({ busy: null, ...(result.ok ? { notice: `Deleted “${title}”.`, detail: null } : { actionError: result.error }) })
      const { results } = get()
      if (result.ok && results) set({ results: { ...results, hits: results.hits.filter((h) => h.node.id !== id) } })
      await get().refresh()
    },

    async reembed() {
      set({ busy: 'reembedding', actionError: null, notice: null })
      const result = await client.call('knowledge.reembed', {})
      set({ busy: null, ...(result.ok ? { notice: 'Re-embedding started; search by meaning switches to the new model when it is complete.' } : { actionError: result.error }) })
      await get().refresh()
    },

    async clearResponseCache() {
      const result = await client.call('knowledge.clearResponseCache', {})
      set(result.ok ? { notice: `Forgot ${result.value.removed} cached answers.`, actionError: null } : { actionError: result.error })
      await get().refresh()
    }
  }))

  const offChanged = client.on('knowledge.changed', (stats) => {
    store.setState({ stats })
    void client.call('knowledge.list', { limit: LIST_LIMIT }).then((list) => {
      if (list.ok) store.setState({ nodes: list.value.nodes, total: list.value.total ?? list.value.nodes.length })
    })
  })
  const offProgress = client.on('knowledge.importProgress', (progress) => store.setState({ progress }))
  const offStatus = client.onStatus((status) => {
    if (status === 'connected') void store.getState().refresh()
  })
  return Object.assign(store, {
    dispose() {
      offChanged()
      offProgress()
      offStatus()
    }
  })
}
