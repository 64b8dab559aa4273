import type { ChatMessage, ChatSession } from '../../shared/contract/chat-contract'
import type { BoardStore } from '../board/board-store'
import type { TaskQueue } from '../ports/task-queue'
import type { HandlersFor } from '../rpc/handler-types'
import { Refusal, refuse } from '../rpc/refusal'
import type { ChatPipeline } from './chat-pipeline'
import { shorten } from './chat-prompts'
import { noMessage, noSession, type ChatStore } from './chat-store'
import { noExpert, type ExpertDirectory } from './expert-directory'
import { bestExpertFor, detectDomain } from './request-classifier'
import { exportFileName, sessionMarkdown } from './session-export'
import type { ChatUsageReader } from './chat-usage'

/** The title of a session made by "New conversation", until its first question names it. */
const UNTITLED_SESSION = 'New conversation'

const TITLE_CHARS = 60

/** The question on one line, cut at a word boundary when it is long, so the list reads like titles. */
function titleFrom(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= TITLE_CHARS) return flat
  const cut = flat.slice(0, TITLE_CHARS - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?—–-]+$/u, '')}…`
}

export interface ChatHandlerDeps {
  readonly store: ChatStore
  readonly experts: ExpertDirectory
  readonly pipeline: ChatPipeline
  readonly usage: ChatUsageReader
  readonly decisions: Pick<BoardStore, 'get'>
  readonly tasks: TaskQueue | null
  readonly connected: { readonly model: boolean; readonly knowledge: boolean }
}

export function chatHandlers(deps: ChatHandlerDeps): HandlersFor<'chat'> {
  const { store, experts, pipeline } = deps

  /** A refusal while an answer is still written in the session; null when it may take another. */
  const busy = (sessionId: string): Refusal | null =>
    pipeline.activeIn(sessionId).length > 0
      ? refuse(
          'conflict',
          'An answer is still being written in this session. Wait for it to finish or press Stop, then send again.'
        )
      : null

  /** The question a message asks or answers. */
  const questionOf = (messageId: string): ChatMessage | Refusal => {
    const message = store.findMessage(messageId)
    if (!message) return refuse('not_found', noMessage(messageId))
    if (message.role === 'user') return message
    if (!message.replyTo)
      return refuse('invalid_input', `Message "${messageId}" answers no question, so there is nothing to ask again.`)
    return store.findMessage(message.replyTo) ?? refuse('not_found', noMessage(message.replyTo))
  }

  /** Answers with `then` for a session that is there, and refuses for one that is not. */
  const sessionOr = <T>(id: string, then: (session: ChatSession) => T): T | Refusal => {
    const session = store.findSession(id)
    return session ? then(session) : refuse('not_found', noSession(id))
  }

  return {
    'chat.status': () => ({
      modelConnected: deps.connected.model,
      tasksConnected: deps.tasks !== null,
      knowledgeConnected: deps.connected.knowledge,
      leadName: experts.lead().name,
      active: pipeline.active()
    }),
    'chat.experts.list': () => ({ experts: experts.list() }),
    'chat.experts.update': ({ id, ...edit }, ctx) => {
      const expert = experts.update(id, edit)
      if (!expert) return refuse('not_found', noExpert(id, experts.list()))
      ctx.log.info('expert edited', { expert: id, fields: Object.keys(edit) })
      return expert
    },
    'chat.experts.reset': ({ id }, ctx) => {
      const expert = experts.reset(id)
      if (!expert) return refuse('not_found', noExpert(id, experts.list()))
      ctx.log.info('expert reset to built-in', { expert: id })
      return expert
    },
    'chat.sessions.list': ({ query, cursor, limit }) =>
      store.listSessions({ query: query || undefined, cursor, limit }),
    'chat.sessions.create': ({ title }) => store.createSession(title ?? UNTITLED_SESSION),
    'chat.sessions.get': ({ id }) => sessionOr(id, (session) => ({ session, messages: store.messages(id) })),
    'chat.sessions.rename': ({ id, title }) => sessionOr(id, () => store.renameSession(id, title)),
    'chat.sessions.delete': ({ id }, ctx) =>
      sessionOr(id, () => {
        for (const messageId of pipeline.activeIn(id)) pipeline.stop(messageId)
        store.deleteSession(id)
        ctx.log.info('chat session deleted', { session_id: id })
        return { id }
      }),
    'chat.sessions.export': ({ id }) =>
      sessionOr(id, (session) => ({
        fileName: exportFileName(session),
        markdown: sessionMarkdown(session, store.messages(id), (d) => deps.decisions.get(d))
      })),
    'chat.send': ({ sessionId, text, priority }, ctx) => {
      const session = sessionId ? store.findSession(sessionId) : store.createSession(titleFrom(text))
      if (!session) return refuse('not_found', noSession(sessionId ?? ''))
      const refused = busy(session.id)
      if (refused) return refused
      // "New conversation" makes an untitled session; its first question names it, as a session
      // started by sending does. A title the person chose before asking anything stays.
      if (session.messageCount === 0 && session.title === UNTITLED_SESSION)
        store.renameSession(session.id, titleFrom(text))
      const userMessage = store.addMessage({
        sessionId: session.id,
        role: 'user',
        content: text,
        status: 'complete',
        correlationId: ctx.correlationId
      })
      const assistantMessage = pipeline.start({ userMessage, priority, correlationId: ctx.correlationId, log: ctx.log })
      return { session: store.session(session.id), userMessage, assistantMessage }
    },
    'chat.stop': ({ messageId }) => ({ stopped: pipeline.stop(messageId) }),
    'chat.retry': ({ messageId }, ctx) => {
      const userMessage = questionOf(messageId)
      if (userMessage instanceof Refusal) return userMessage
      const refused = busy(userMessage.sessionId)
      if (refused) return refused
      return {
        assistantMessage: pipeline.start({
          userMessage,
          priority: 'normal',
          correlationId: ctx.correlationId,
          log: ctx.log
        })
      }
    },
    'chat.toTask': ({ messageId }, ctx) => {
      if (!deps.tasks)
        return refuse(
          'unavailable',
          'The task engine is not connected in this build, so the message cannot become a task. Nothing was queued.'
        )
      const message = store.findMessage(messageId)
      if (!message) return refuse('not_found', noMessage(messageId))
      const question = questionOf(messageId)
      if (question instanceof Refusal) return question
      const description =
        message.role === 'assistant' && message.content
          ? `${question.content}\n\nThe chat's answer so far:\n${message.content}`
          : question.content
      const domain = detectDomain(question.content)
      const expert = bestExpertFor(domain, experts.list())
      const task = deps.tasks.create({
        title: shorten(question.content, 120),
        description,
        domain,
        ...(expert ? { assigneeExpert: expert.id } : {}),
        metadata: { source: 'chat', sessionId: message.sessionId, messageId },
        correlationId: ctx.correlationId
      })
      ctx.log.info('chat message queued as a task', { task_id: task.id, message_id: messageId })
      return { taskId: task.id, title: task.title }
    },
    'chat.usage': ({ days }) =>
      deps.usage.summary(days, {
        expert: (id) => (id === 'board' ? 'Board of directors' : (experts.get(id)?.name ?? id))
      })
  }
}
