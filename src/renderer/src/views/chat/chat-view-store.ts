import { createStore, type StoreApi } from 'zustand/vanilla'
import type { KosClient } from '../../../../shared/contract/client'
import type { ChatMessage, ChatProgress, ChatSession, ChatStatus, ChatUsage, Expert } from '../../../../shared/contract/chat-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'

export type ExpertEdit = Partial<Pick<Expert, 'name' | 'role' | 'domains' | 'systemPrompt' | 'modelCategory'>>

export interface ChatViewState {
  readonly status: ChatStatus | null
  readonly sessions: ChatSession[] | null
  readonly query: string
  readonly currentId: string | null
  readonly messages: ChatMessage[]
  readonly loadingMessages: boolean
  /** The last failure of a read or an action, shown until the next success. */
  readonly error: RpcError | null
  /** Steps of each answer being written, in order. */
  readonly steps: Readonly<Record<string, ChatProgress[]>>
  readonly flash: string | null
  readonly budgetAlert: { day: string; tokens: number; budget: number } | null
  readonly experts: Expert[] | null
  readonly usage: ChatUsage | null
  init(sessionId: string | null): Promise<void>
  setQuery(query: string): Promise<void>
  select(id: string | null): Promise<void>
  newSession(): Promise<void>
  rename(id: string, title: string): Promise<RpcError | null>
  remove(id: string): Promise<void>
  send(text: string, priority: 'normal' | 'high'): Promise<boolean>
  stop(messageId: string): Promise<void>
  retry(messageId: string): Promise<void>
  toTask(messageId: string): Promise<void>
  exportSession(id: string): Promise<{ fileName: string; markdown: string } | null>
  loadExperts(): Promise<void>
  updateExpert(id: string, edit: ExpertEdit): Promise<RpcError | null>
  resetExpert(id: string): Promise<void>
  loadUsage(): Promise<void>
  dismiss(): void
}

/** `connect` subscribes to the core's events and returns the unsubscribe, for a view's effect. */
export type ChatViewStore = StoreApi<ChatViewState> & { connect(): () => void }

/** The Chat view's state: read through calls, kept live by chat.* events, re-read after a reconnect. */
export function createChatViewStore(client: KosClient, initialSession: string | null): ChatViewStore {
  // An answer can stream or even finish before chat.send's reply names its session; what
  // arrived meanwhile is kept here and applied when the reply comes.
  const early = new Map<string, { text: string; finished: ChatMessage | null }>()
  const adopt = (message: ChatMessage): ChatMessage => {
    const seen = early.get(message.id)
    if (!seen) return message
    early.delete(message.id)
    return seen.finished ?? { ...message, content: message.content + seen.text }
  }
  const store = createStore<ChatViewState>()((set, get) => {
    const fail = (error: RpcError): void => set({ error })
    const refreshSessions = async (): Promise<void> => {
      const query = get().query.trim()
      const result = await client.call('chat.sessions.list', query ? { query } : {})
      if (result.ok) set({ sessions: result.value.sessions })
      else fail(result.error)
    }
    const refreshStatus = async (): Promise<void> => {
      const result = await client.call('chat.status', {})
      if (result.ok) set({ status: result.value })
      else fail(result.error)
    }
    const loadMessages = async (id: string): Promise<void> => {
      set({ loadingMessages: true })
      const result = await client.call('chat.sessions.get', { id })
      if (get().currentId !== id) return
      if (result.ok) set({ messages: result.value.messages, loadingMessages: false, error: null })
      else set({ loadingMessages: false, error: result.error, messages: [] })
    }
    return {
      status: null,
      sessions: null,
      query: '',
      currentId: null,
      messages: [],
      loadingMessages: false,
      error: null,
      steps: {},
      flash: null,
      budgetAlert: null,
      experts: null,
      usage: null,
      async init(sessionId) {
        await Promise.all([refreshStatus(), refreshSessions()])
        const first = sessionId ?? get().currentId ?? get().sessions?.[0]?.id ?? null
        if (first) await get().select(first)
      },
      async setQuery(query) {
        set({ query })
        await refreshSessions()
      },
      async select(id) {
        set({ currentId: id, messages: [] })
        if (id) await loadMessages(id)
      },
      async newSession() {
        const result = await client.call('chat.sessions.create', {})
        if (!result.ok) return fail(result.error)
        await refreshSessions()
        await get().select(result.value.id)
      },
      async rename(id, title) {
        const result = await client.call('chat.sessions.rename', { id, title })
        if (!result.ok) return result.error
        await refreshSessions()
        return null
      },
      async remove(id) {
        const result = await client.call('chat.sessions.delete', { id })
        if (!result.ok) return fail(result.error)
        if (get().currentId === id) set({ currentId: null, messages: [] })
        await refreshSessions()
      },
      async send(text, priority) {
        const sessionId = get().currentId
        const result = await client.call('chat.send', { text, priority, ...(sessionId ? { sessionId } : {}) })
        if (!result.ok) {
          fail(result.error)
          return false
        }
        const { session, userMessage, assistantMessage } = result.value
        const known = new Set(get().messages.map((m) => m.id))
        const fresh = [userMessage, assistantMessage].filter((m) => !known.has(m.id)).map(adopt)
        set({ currentId: session.id, error: null, messages: session.id === sessionId ? [...get().messages, ...fresh] : fresh })
        void refreshSessions()
        return true
      },
      async stop(messageId) {
        const result = await client.call('chat.stop', { messageId })
        if (!result.ok) fail(result.error)
      },
      async retry(messageId) {
        const result = await client.call('chat.retry', { messageId })
        if (!result.ok) return fail(result.error)
        const message = result.value.assistantMessage
        if (!get().messages.some((m) => m.id === message.id)) set({ messages: [...get().messages, adopt(message)], error: null })
      },
      async toTask(messageId) {
        const result = await client.call('chat.toTask', { messageId })
        if (!result.ok) return fail(result.error)
        set({ flash: `Queued as task “${result.value.title}”. Follow it in the Tasks view.`, error: null })
      },
      async exportSession(id) {
        const result = await client.call('chat.sessions.export', { id })
        if (result.ok) return result.value
        fail(result.error)
        return null
      },
      async loadExperts() {
        const result = await client.call('chat.experts.list', {})
        if (result.ok) set({ experts: result.value.experts })
        else fail(result.error)
      },
      async updateExpert(id, edit) {
        const result = await client.call('chat.experts.update', { id, ...edit })
        if (!result.ok) return result.error
        await Promise.all([get().loadExperts(), refreshStatus()])
        return null
      },
      async resetExpert(id) {
        const result = await client.call('chat.experts.reset', { id })
        if (!result.ok) return fail(result.error)
        await Promise.all([get().loadExperts(), refreshStatus()])
      },
      async loadUsage() {
        const result = await client.call('chat.usage', { days: 14 })
        if (result.ok) set({ usage: result.value, budgetAlert: result.value.budgetExceeded ? { day: new Date().toISOString().slice(0, 10), tokens: result.value.today.tokens, budget: result.value.dailyBudget } : get().budgetAlert })
        else fail(result.error)
      },
      dismiss: () => set({ flash: null, error: null })
    }
  })

  const patchMessage = (id: string, change: (m: ChatMessage) => ChatMessage): boolean => {
    const { messages } = store.getState()
    if (!messages.some((m) => m.id === id)) return false
    store.setState({ messages: messages.map((m) => (m.id === id ? change(m) : m)) })
    return true
  }
  const keepEarly = (id: string, text: string, finished: ChatMessage | null): void => {
    const seen = early.get(id) ?? { text: '', finished: null }
    early.set(id, { text: seen.text + text, finished: finished ?? seen.finished })
    // Answers of sessions this window never shows are not kept for long.
    if (early.size > 50) early.delete(early.keys().next().value ?? '')
  }
  const connect = (): (() => void) => {
    const offs = [
      client.on('chat.started', ({ message }) => {
        const state = store.getState()
        if (message.sessionId === state.currentId && !state.messages.some((m) => m.id === message.id)) store.setState({ messages: [...state.messages, message] })
      }),
      client.on('chat.token', ({ messageId, text }) => {
        if (!patchMessage(messageId, (m) => ({ ...m, content: m.content + text }))) keepEarly(messageId, text, null)
      }),
      client.on('chat.progress', (progress) => {
        const steps = store.getState().steps
        store.setState({ steps: { ...steps, [progress.messageId]: [...(steps[progress.messageId] ?? []), progress] } })
      }),
      client.on('chat.subtasks', ({ messageId, subtasks, parentTaskId }) => patchMessage(messageId, (m) => ({ ...m, subtasks, parentTaskId }))),
      client.on('chat.finished', ({ message }) => {
        if (!patchMessage(message.id, () => message)) keepEarly(message.id, '', message)
        void client.call('chat.sessions.list', store.getState().query.trim() ? { query: store.getState().query.trim() } : {}).then((r) => r.ok && store.setState({ sessions: r.value.sessions }))
        if (store.getState().usage) void store.getState().loadUsage()
      }),
      client.on('chat.budgetExceeded', (alert) => store.setState({ budgetAlert: alert })),
      client.onStatus((status) => {
        if (status === 'connected') void store.getState().init(store.getState().currentId ?? initialSession)
      })
    ]
    return () => offs.forEach((off) => off())
  }
  return Object.assign(store, { connect })
}
