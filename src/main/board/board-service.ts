import type { BoardDecision, BoardSource } from '../../shared/contract/board-contract'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { ChatCompletionInfo, ChatModel } from '../ports/chat-model'
import { BOARD_CHAIR } from './board-members'
import { outcomeOf, tally } from './board-reply-parser'
import { deliberate } from './board-session'
import { summaryOf, type BoardStore } from './board-store'

export interface ConsultRequest {
  readonly question: string
  readonly source: BoardSource
  readonly correlationId: string
  readonly log: Logger
  readonly sessionId?: string
  readonly messageId?: string
  readonly taskId?: string
  /** The caller's own stop (the user pressed Stop); the board's timeout comes on top. */
  readonly signal?: AbortSignal
}

export type ConsultFailure = 'unavailable' | 'timeout' | 'failed' | 'aborted'
export type ConsultResult =
  | { readonly ok: true; readonly decision: BoardDecision }
  | { readonly ok: false; readonly reason: ConsultFailure; readonly message: string }

export interface BoardModelCall {
  readonly info: ChatCompletionInfo
  /** The attempt spent these tokens and gave no answer (cut, failed part-way, echoed, stopped). */
  readonly failed: boolean
  readonly correlationId: string
  readonly sessionId: string | null
  readonly messageId: string | null
}

export interface BoardService {
  readonly store: BoardStore
  available(): boolean
  timeoutSec(): number
  consult(request: ConsultRequest): Promise<ConsultResult>
  /** Every model call the board makes, for the chat's token and cost accounting. */
  onModelCall(listener: (call: BoardModelCall) => void): () => void
}

export interface BoardServiceDeps {
  readonly store: BoardStore
  readonly model: ChatModel | null
  readonly events: Pick<EventBus, 'emit'>
  readonly timeoutSec: () => number
  readonly userId: string
}

/**
 * Puts a question to the board within its time limit and records the
 * decision. Never throws: a board that cannot decide is a value the caller
 * turns into words ("the board did not answer within 45 s").
 */
export function createBoardService(deps: BoardServiceDeps): BoardService {
  const listeners = new Set<(call: BoardModelCall) => void>()
  return {
    store: deps.store,
    available: () => deps.model !== null,
    timeoutSec: deps.timeoutSec,
    onModelCall(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async consult(request) {
      if (!deps.model)
        return { ok: false, reason: 'unavailable', message: 'no model backend is connected, so the board cannot meet' }
      const seconds = deps.timeoutSec()
      const timeout = AbortSignal.timeout(seconds * 1000)
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout
      const log = request.log.child({ component: 'board' })
      log.info('board consulted', { source: request.source, timeout_sec: seconds })
      const result = await deliberate({
        question: request.question,
        model: deps.model,
        signal,
        correlationId: request.correlationId,
        log,
        onModelCall: (info, failed) => {
          for (const listener of listeners) {
            try {
              listener({
                info,
                failed,
                correlationId: request.correlationId,
                sessionId: request.sessionId ?? null,
                messageId: request.messageId ?? null
              })
            } catch (error) {
              log.error('board usage listener failed', { error })
            }
          }
        }
      })
      if (!result.ok) {
        if (request.signal?.aborted) return { ok: false, reason: 'aborted', message: 'the board was stopped' }
        if (timeout.aborted) {
          log.warn('board timed out', { timeout_sec: seconds })
          return { ok: false, reason: 'timeout', message: `the board did not decide within ${seconds} s` }
        }
        log.warn('board failed', { reason: result.message })
        return { ok: false, reason: 'failed', message: result.message }
      }
      const { positions, chair } = result.deliberation
      const decision = deps.store.insert({
        question: request.question,
        decision: chair.decision,
        rationale: chair.rationale,
        risks: [...chair.risks],
        positions: [...positions],
        outcome: outcomeOf(tally(positions.map((p) => p.vote))),
        chairName: BOARD_CHAIR.name,
        source: request.source,
        sessionId: request.sessionId ?? null,
        messageId: request.messageId ?? null,
        taskId: request.taskId ?? null,
        userId: deps.userId,
        correlationId: request.correlationId
      })
      log.info('board decided', { decision_id: decision.id, outcome: decision.outcome })
      deps.events.emit('board.decided', summaryOf(decision))
      return { ok: true, decision }
    }
  }
}
