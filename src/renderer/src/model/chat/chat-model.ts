import type { BoardDecision } from '../../../../shared/contract/board-contract'
import {
  CHAT_SESSION_PAGE_SIZE,
  type ChatMessage,
  type ChatProgress,
  type ChatSession,
  type ChatStatus,
  type ChatUsage,
  type Expert
} from '../../../../shared/contract/chat-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import type { BudgetAlert } from '../../../../shared/contract/usage-contract'
import { EMPTY_PAGES, firstPage, loadNextPage, type PagedList } from '../paged-list'
import { defineViewModel, type ViewModelApi } from '../view-model'
import { LEARNED_SOURCE_PREFIX, learningByExpert, RESEARCH_PREFIX, type LearningItem } from './expert-learning'

export type ExpertEdit = Partial<Pick<Expert, 'name' | 'role' | 'domains' | 'systemPrompt' | 'modelCategory'>>

/** Tokens and the end of an answer that arrived before the reply naming its session. */
interface EarlyAnswer {
  readonly text: string
  readonly finished: ChatMessage | null
}

export interface ChatData {
  readonly status: ChatStatus | null
  /** Sessions matching the search, most recently active first, a page at a time; null until first read. */
  readonly sessions: PagedList<ChatSession> | null
  readonly query: string
  readonly currentId: string | null
  readonly messages: ChatMessage[]
  readonly loadingMessages: boolean
  /** The last failure of a read or an action, shown until the next success. */
  readonly error: RpcError | null
  /** Steps of each answer being written, in order. */
  readonly steps: Readonly<Record<string, ChatProgress[]>>
  readonly flash: string | null
  readonly budgetAlert: BudgetAlert | null
  readonly experts: Expert[] | null
  /** What each expert is learning: its newest research tasks, by expert id. */
  readonly learning: Readonly<Record<string, readonly LearningItem[]>>
  readonly usage: ChatUsage | null
  /** Board decisions shown above the answers they shaped, read once each. */
  readonly decisions: Readonly<Record<string, { readonly decision: BoardDecision } | { readonly error: RpcError }>>
  readonly early: ReadonlyMap<string, EarlyAnswer>
}

export interface ChatActions {
  setQuery(query: string): Promise<void>
  /** The next page of sessions, asked for as the list scrolls near its end. */
  loadMoreSessions(): Promise<void>
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
  readDecision(id: string): Promise<void>
  dismiss(): void
}

export type ChatState = ChatData & ChatActions
type Api = ViewModelApi<ChatState>

// Answers of sessions this window never shows are not kept for long.
const EARLY_KEPT = 50

const sessionsQuery = (query: string): { query?: string } => (query.trim() ? { query: query.trim() } : {})

/** The first page of sessions for the current search; a newer read makes an older reply stale. */
async function readSessions({ client, get, set }: Api): Promise<void> {
  const query = get().query
  const result = await client.call('chat.sessions.list', { ...sessionsQuery(query), limit: CHAT_SESSION_PAGE_SIZE })
  if (get().query !== query) return
  set(
    result.ok ? { sessions: firstPage(result.value.sessions, result.value.nextCursor, null) } : { error: result.error }
  )
}

async function readStatus({ client, set }: Api): Promise<void> {
  const result = await client.call('chat.status', {})
  set(result.ok ? { status: result.value } : { error: result.error })
}

/** Takes what streamed in before the message was known to this view. */
function adopt(message: ChatMessage, { get, set }: Api): ChatMessage {
  const seen = get().early.get(message.id)
  if (!seen) return message
  const early = new Map(get().early)
  early.delete(message.id)
  set({ early })
  return seen.finished ?? { ...message, content: message.content + seen.text }
}

function keepEarly(id: string, text: string, finished: ChatMessage | null, { get, set }: Api): void {
  const early = new Map(get().early)
  const seen = early.get(id) ?? { text: '', finished: null }
  early.set(id, { text: seen.text + text, finished: finished ?? seen.finished })
  if (early.size > EARLY_KEPT) early.delete(early.keys().next().value ?? '')
  set({ early })
}

function patchMessage(id: string, change: (m: ChatMessage) => ChatMessage, { get, set }: Api): boolean {
  const { messages } = get()
  if (!messages.some((m) => m.id === id)) return false
  set({ messages: messages.map((m) => (m.id === id ? change(m) : m)) })
  return true
}

/** The Chat view: sessions, the open conversation streaming live, the team and usage. The parameter is the session the URL names. */
export const chatModel = defineViewModel<ChatData, ChatActions, string | null>({
  initialState: () => ({
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
    learning: {},
    usage: null,
    decisions: {},
    early: new Map()
  }),
  actions: (api) => {
    const { client, get, set } = api
    const fail = (error: RpcError): void => set({ error })
    /** The session "New conversation" is making, until the core has made it. */
    let creating: Promise<string | null> | null = null
    const loadMessages = async (id: string): Promise<void> => {
      set({ loadingMessages: true })
      const result = await client.call('chat.sessions.get', { id })
      if (get().currentId !== id) return
      if (result.ok) set({ messages: result.value.messages, loadingMessages: false, error: null })
      else set({ loadingMessages: false, error: result.error, messages: [] })
    }
    return {
      async setQuery(query) {
        set({ query })
        await readSessions(api)
      },
      async loadMoreSessions() {
        const error = await loadNextPage(
          () => get().sessions ?? EMPTY_PAGES,
          (sessions) => set({ sessions }),
          (cursor) =>
            client.call('chat.sessions.list', { ...sessionsQuery(get().query), cursor, limit: CHAT_SESSION_PAGE_SIZE }),
          (page) => page.sessions,
          (x) => x.id
        )
        if (error) fail(error)
      },
      async select(id) {
        set({ currentId: id, messages: [] })
        if (id) await loadMessages(id)
      },
      async newSession() {
        // The empty conversation shows at once; a question typed before the core has made it goes into it.
        set({ currentId: null, messages: [] })
        const made = client.call('chat.sessions.create', {}).then((result) => {
          if (result.ok) return result.value.id
          fail(result.error)
          return null
        })
        creating = made
        const id = await made
        if (creating === made) creating = null
        // A new session has no messages to read; one the person opened meanwhile stays open.
        if (id && get().currentId === null) set({ currentId: id, messages: [] })
        await readSessions(api)
      },
      async rename(id, title) {
        const result = await client.call('chat.sessions.rename', { id, title })
        if (!result.ok) return result.error
        await readSessions(api)
        return null
      },
      async remove(id) {
        const result = await client.call('chat.sessions.delete', { id })
        if (!result.ok) return fail(result.error)
        if (get().currentId === id) set({ currentId: null, messages: [] })
        await readSessions(api)
      },
      async send(text, priority) {
        const sessionId = (creating ? await creating : null) ?? get().currentId
        const result = await client.call('chat.send', { text, priority, ...(sessionId ? { sessionId } : {}) })
        if (!result.ok) {
          fail(result.error)
          return false
        }
        const { session, userMessage, assistantMessage } = result.value
        // The core announces the answer (chat.started) before this reply arrives, so it may already
        // be listed; the question goes before it, whatever came first, keeping what streamed in.
        const shown = new Map(get().messages.map((m) => [m.id, m]))
        const pair = [userMessage, assistantMessage].map((m) => shown.get(m.id) ?? adopt(m, api))
        const earlier =
          session.id === sessionId
            ? get().messages.filter((m) => m.id !== userMessage.id && m.id !== assistantMessage.id)
            : []
        set({ currentId: session.id, error: null, messages: [...earlier, ...pair] })
        void readSessions(api)
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
        if (!get().messages.some((m) => m.id === message.id))
          set({ messages: [...get().messages, adopt(message, api)], error: null })
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
        const [result, research, notes] = await Promise.all([
          client.call('chat.experts.list', {}),
          client.call('tasks.list', { search: RESEARCH_PREFIX.trim(), limit: 200 }),
          client.call('knowledge.list', { source: LEARNED_SOURCE_PREFIX, limit: 200 })
        ])
        if (research.ok) set({ learning: learningByExpert(research.value.tasks, notes.ok ? notes.value.nodes : []) })
        if (result.ok) set({ experts: result.value.experts })
        else fail(result.error)
      },
      async updateExpert(id, edit) {
        const result = await client.call('chat.experts.update', { id, ...edit })
        if (!result.ok) return result.error
        await Promise.all([get().loadExperts(), readStatus(api)])
        return null
      },
      async resetExpert(id) {
        const result = await client.call('chat.experts.reset', { id })
        if (!result.ok) return fail(result.error)
        await Promise.all([get().loadExperts(), readStatus(api)])
      },
      async loadUsage() {
        const result = await client.call('chat.usage', { days: 14 })
        if (result.ok)
          set({
            usage: result.value,
            budgetAlert: result.value.budget.exceeded
              ? {
                  period: result.value.budget.period,
                  start: result.value.budget.start,
                  tokens: result.value.budget.used,
                  budget: result.value.budget.budget
                }
              : get().budgetAlert
          })
        else fail(result.error)
      },
      async readDecision(id) {
        if (get().decisions[id]) return
        const result = await client.call('board.decisions.get', { id })
        set({
          decisions: { ...get().decisions, [id]: result.ok ? { decision: result.value } : { error: result.error } }
        })
      },
      dismiss: () => set({ flash: null, error: null })
    }
  },
  events: {
    'chat.started': ({ message }, { get, set }) => {
      const state = get()
      if (message.sessionId === state.currentId && !state.messages.some((m) => m.id === message.id))
        set({ messages: [...state.messages, message] })
    },
    'chat.token': ({ messageId, text }, api) => {
      if (!patchMessage(messageId, (m) => ({ ...m, content: m.content + text }), api))
        keepEarly(messageId, text, null, api)
    },
    'chat.progress': (progress, { get, set }) => {
      const steps = get().steps
      set({ steps: { ...steps, [progress.messageId]: [...(steps[progress.messageId] ?? []), progress] } })
    },
    'chat.subtasks': ({ messageId, subtasks, parentTaskId }, api) =>
      void patchMessage(messageId, (m) => ({ ...m, subtasks, parentTaskId }), api),
    'chat.finished': ({ message }, api) => {
      if (!patchMessage(message.id, () => message, api)) keepEarly(message.id, '', message, api)
      void readSessions(api)
      if (api.get().usage) void api.get().loadUsage()
    },
    'usage.budgetExceeded': (budgetAlert, { set }) => set({ budgetAlert })
  },
  async reload(api, initialSession) {
    await Promise.all([readStatus(api), readSessions(api)])
    const first = api.get().currentId ?? initialSession ?? api.get().sessions?.items[0]?.id ?? null
    if (first) await api.get().select(first)
  }
})
