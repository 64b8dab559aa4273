import type { ChatMessage } from '../../shared/contract/chat-contract'
import type { Logger } from '../log/logger'
import { StopRequest, type ChatPipelineDeps } from './answer-run'
import { answerMessage } from './answer-message'

export interface StartAnswer {
  readonly userMessage: ChatMessage
  readonly priority: 'normal' | 'high'
  readonly correlationId: string
  /** Carries the correlation id already (the dispatcher's call logger). */
  readonly log: Logger
}

export interface ChatPipeline {
  /** Creates the answer message and starts writing it; the answer arrives through chat.* events, ending with chat.finished. */
  start(request: StartAnswer): ChatMessage
  stop(messageId: string): boolean
  active(): string[]
  /** The answers being written in one session. */
  activeIn(sessionId: string): string[]
  /** Resolves when every answer being written has finished. */
  idle(): Promise<void>
  /** Aborts every answer (the app is closing) and waits for each to be recorded. */
  shutdown(): Promise<void>
}

interface Running {
  readonly sessionId: string
  readonly controller: AbortController
  readonly done: Promise<void>
}

export function createChatPipeline(deps: ChatPipelineDeps): ChatPipeline {
  const running = new Map<string, Running>()

  const start = (request: StartAnswer): ChatMessage => {
    const { userMessage, correlationId } = request
    const answer = deps.store.addMessage({
      sessionId: userMessage.sessionId,
      role: 'assistant',
      content: '',
      status: 'streaming',
      correlationId,
      replyTo: userMessage.id
    })
    const controller = new AbortController()
    const log = request.log.child({ component: 'chat', session_id: answer.sessionId, message_id: answer.id })
    deps.events.emit('chat.started', { message: answer })
    const done = answerMessage({
      deps,
      answer,
      userMessage,
      priority: request.priority,
      correlationId,
      log,
      signal: controller.signal
    }).finally(() => running.delete(answer.id))
    running.set(answer.id, { sessionId: answer.sessionId, controller, done })
    return answer
  }

  return {
    start,
    stop(messageId) {
      const run = running.get(messageId)
      if (!run) return false
      run.controller.abort(new StopRequest('user'))
      return true
    },
    active: () => [...running.keys()],
    activeIn: (sessionId) => [...running].filter(([, run]) => run.sessionId === sessionId).map(([id]) => id),
    async idle() {
      await Promise.all([...running.values()].map((r) => r.done))
    },
    async shutdown() {
      for (const run of running.values()) run.controller.abort(new StopRequest('shutdown'))
      await Promise.all([...running.values()].map((r) => r.done))
    }
  }
}
