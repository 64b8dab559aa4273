import type { EventFrame } from '../../../shared/contract/wire'
import type { BoardService } from '../../board/board-service'
import { createBoardService } from '../../board/board-service'
import { createBoardStore } from '../../board/board-store'
import { scriptedChatModel, type Script, type ScriptedChatModel } from '../../board/testing/scripted-chat-model'
import { capturedLog, chatTestDb } from '../../board/testing/test-core'
import type { ConfigService } from '../../config/config-service'
import type { Db } from '../../db/database'
import type { EventBus } from '../../events/event-bus'
import { SETTINGS, type SettingKey } from '../../config/setting-definitions'
import type { ChatModelRequest } from '../../ports/chat-model'
import type { KnowledgeContext } from '../../ports/knowledge-context'
import type { TaskQueue } from '../../ports/task-queue'
import type { CallContext } from '../../rpc/handler-types'
import { createUsageCapability } from '../../usage/usage-capability'
import { createChatCapability, type ChatCapability } from '../chat-capability'
import { answering, type AnsweringHandlers } from '../../test-support/answering-handlers'

export interface HarnessOptions {
  /** null: no model backend connected. */
  readonly script?: ((request: ChatModelRequest, index: number) => Script) | null
  readonly tasks?: TaskQueue | null
  readonly knowledge?: KnowledgeContext | null
  readonly settings?: Partial<Record<SettingKey, number | boolean>>
  readonly boardTimeoutSec?: number
  readonly now?: () => Date
}

export interface ChatHarness {
  readonly db: Db
  readonly events: EventFrame[]
  named<T>(name: string): T[]
  readonly model: ScriptedChatModel | null
  lines(): Record<string, unknown>[]
  readonly board: BoardService
  readonly chat: ChatCapability
  readonly handlers: AnsweringHandlers<ChatCapability['handlers']>
  ctx(correlationId: string, call?: string): CallContext
}

/** The chat capability over an in-memory store, scripted ports, a recording event bus and a readable log. */
export function chatHarness(options: HarnessOptions = {}): ChatHarness {
  const db = chatTestDb()
  const events: EventFrame[] = []
  const emit = { emit: (name: string, payload: unknown) => void events.push({ type: 'event', name, payload }) } as Pick<
    EventBus,
    'emit'
  >
  const model: ScriptedChatModel | null =
    options.script === null ? null : scriptedChatModel(options.script ?? (() => ({ tokens: ['Hello', ' there'] })))
  const { log, lines } = capturedLog()
  const config = { get: (key: SettingKey) => options.settings?.[key] ?? SETTINGS[key].default } as Pick<
    ConfigService,
    'get'
  >
  const board = createBoardService({
    store: createBoardStore(db),
    model,
    events: emit,
    timeoutSec: () => options.boardTimeoutSec ?? 45,
    userId: 'tester'
  })
  const usage = createUsageCapability({
    db,
    events: emit,
    log,
    settings: {
      pricePer1k: () => config.get('chat.remotePricePer1k'),
      tokenBudget: () => config.get('usage.tokenBudget'),
      budgetPeriod: () => config.get('usage.budgetPeriod')
    },
    isRemoteNode: () => false,
    labels: { expert: (id) => id, node: (id) => id }
  })
  const chat = createChatCapability({
    db,
    events: emit,
    config,
    log,
    usage,
    board,
    model,
    tasks: options.tasks ?? null,
    knowledge: options.knowledge ?? null,
    flushMs: 0
  })
  const ctx = (correlationId: string, call = 'chat.send'): CallContext => ({
    scopes: new Set(['read', 'write']),
    transport: 'ws',
    correlationId,
    log: log.child({ correlation_id: correlationId, call })
  })
  const named = <T>(name: string): T[] => events.filter((e) => e.name === name).map((e) => e.payload as T)
  return { db, events, named, model, lines, board, chat, handlers: answering(chat.handlers), ctx }
}

/** Which part of the pipeline a request comes from, by its system prompt. */
export function purposeOf(request: ChatModelRequest): 'classify' | 'member' | 'chair' | 'decompose' | 'answer' {
  const system = request.messages[0]?.content ?? ''
  if (system.startsWith('You sort questions')) return 'classify'
  if (system.includes('Chair of the Board')) return 'chair'
  if (system.includes('on the board of directors')) return 'member'
  if (system.startsWith('Split the user')) return 'decompose'
  return 'answer'
}
