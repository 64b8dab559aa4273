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
import { createExpertDirectory, type ExpertDirectory } from './expert-directory'
import { builtInExperts, type BuiltInExpert } from './expert-file'
import { chatFallbackHealth } from './fallback-health'
import type { UsageCapability } from '../usage/usage-capability'
import { createChatUsageReader } from './chat-usage'

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
  /** Where every model call is counted. */
  readonly usage: Pick<UsageCapability, 'record' | 'ledger'>
  readonly experts?: readonly BuiltInExpert[]
  readonly flushMs?: number
}

export interface ChatCapability extends Capability<'chat'> {
  /** chat_fallback_total over answers in the last 24 h against chat.fallbackRatioThreshold; for the health monitor. */
  readonly health: HealthContributor
  readonly pipeline: ChatPipeline
  readonly experts: ExpertDirectory
}

export function createChatCapability(deps: ChatCapabilityDeps): ChatCapability {
  const { config } = deps
  const store = createChatStore(deps.db)
  const interrupted = store.failInterrupted('The app stopped while this answer was being written. Press Retry.')
  if (interrupted > 0)
    deps.log.warn('chat answers interrupted by the last shutdown marked as failed', { count: interrupted })
  const experts = createExpertDirectory(deps.db, deps.experts ?? builtInExperts())
  const threshold = (): number => config.get('chat.fallbackRatioThreshold')
  const usage = createChatUsageReader(deps.db, { ledger: deps.usage.ledger, threshold })
  const unsubscribe = deps.board.onModelCall((call) =>
    deps.usage.record({ ...call, source: 'board', expertId: 'board', purpose: 'board' })
  )
  const pipeline = createChatPipeline({
    store,
    experts,
    usage: deps.usage,
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
      usage,
      decisions: deps.board.store,
      tasks: deps.tasks,
      connected: { model: deps.model !== null, knowledge: deps.knowledge !== null }
    }),
    health: chatFallbackHealth(usage, threshold),
    pipeline,
    experts,
    async stop() {
      unsubscribe()
      await pipeline.shutdown()
    }
  }
}
