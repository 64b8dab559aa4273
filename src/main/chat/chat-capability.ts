import type { BoardService } from '../board/board-service'
import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { ChatModel } from '../ports/chat-model'
import type { HealthContributor } from '../ports/health-contributor'
import type { KnowledgeContext } from '../ports/knowledge-context'
import type { TaskQueue } from '../ports/task-queue'
import type { Capability } from '../rpc/handler-types'
import { chatHandlers } from './chat-handlers'
import { createChatPipeline, type ChatPipeline } from './chat-pipeline'
import { createChatStore } from './chat-store'
import { createExpertDirectory } from './expert-directory'
import { builtInExperts, type BuiltInExpert } from './expert-file'
import { chatFallbackHealth } from './fallback-health'
import { createUsageLedger } from './usage-ledger'

export interface ChatCapabilityDeps {
  readonly db: Db
  readonly events: Pick<EventBus, 'emit'>
  readonly config: Pick<ConfigService, 'get'>
  readonly log: Logger
  readonly board: BoardService
  /** null until a model backend is connected: every answer then ends with an error saying so. */
  readonly model: ChatModel | null
  readonly tasks: TaskQueue | null
  readonly knowledge: KnowledgeContext | null
  /** Whether a node is remote and paid for; without it every node counts as this Mac's own. */
  readonly isRemoteNode?: (node: string) => boolean
  readonly experts?: readonly BuiltInExpert[]
  readonly flushMs?: number
}

export interface ChatCapability extends Capability<'chat'> {
  /** chat_fallback_total over answers in the last 24 h against chat.fallbackRatioThreshold; for the health monitor. */
  readonly health: HealthContributor
  readonly pipeline: ChatPipeline
}

export function createChatCapability(deps: ChatCapabilityDeps): ChatCapability {
  const { config } = deps
  const store = createChatStore(deps.db)
  const interrupted = store.failInterrupted('The app stopped while this answer was being written. Press Retry.')
  if (interrupted > 0)
    deps.log.warn('chat answers interrupted by the last shutdown marked as failed', { count: interrupted })
  const experts = createExpertDirectory(deps.db, deps.experts ?? builtInExperts())
  const threshold = (): number => config.get('chat.fallbackRatioThreshold')
  const ledger = createUsageLedger(deps.db, {
    pricePer1k: () => config.get('chat.remotePricePer1k'),
    dailyBudget: () => config.get('chat.dailyTokenBudget'),
    threshold,
    isRemoteNode: deps.isRemoteNode ?? (() => false)
  })
  const unsubscribe = deps.board.onModelCall((call) => {
    const alert = ledger.record({ ...call, expertId: 'board', purpose: 'board', expertAnswer: false })
    if (alert) deps.events.emit('chat.budgetExceeded', alert)
  })
  const pipeline = createChatPipeline({
    store,
    experts,
    ledger,
    board: deps.board,
    model: deps.model,
    tasks: deps.tasks,
    knowledge: deps.knowledge,
    events: deps.events,
    ...(deps.flushMs === undefined ? {} : { flushMs: deps.flushMs }),
    settings: {
      preferExpertsFirst: () => config.get('chat.preferExpertsFirst'),
      historyTurns: () => config.get('chat.historyTurns'),
      boardEnabled: () => config.get('chat.boardEnabled')
    }
  })
  return {
    handlers: chatHandlers({
      store,
      experts,
      pipeline,
      ledger,
      decisions: deps.board.store,
      tasks: deps.tasks,
      connected: { model: deps.model !== null, knowledge: deps.knowledge !== null }
    }),
    health: chatFallbackHealth(ledger, threshold),
    pipeline,
    async stop() {
      unsubscribe()
      await pipeline.shutdown()
    }
  }
}
