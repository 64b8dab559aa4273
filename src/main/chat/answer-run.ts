import type { ChatMessage, Expert } from '../../shared/contract/chat-contract'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { BoardService } from '../board/board-service'
import type { ChatCompletionInfo, ChatModel } from '../ports/chat-model'
import type { KnowledgeContext } from '../ports/knowledge-context'
import type { TaskQueue } from '../ports/task-queue'
import type { ChatStore } from './chat-store'
import type { ExpertDirectory } from './expert-directory'
import type { UsageCapability } from '../usage/usage-capability'
import type { UsagePurpose } from '../usage/usage-ledger'

/** What the chat pipeline is built with: its stores, ports and settings. */
export interface ChatPipelineDeps {
  readonly store: ChatStore
  readonly experts: ExpertDirectory
  readonly usage: Pick<UsageCapability, 'record'>
  readonly board: BoardService
  readonly model: ChatModel | null
  readonly tasks: TaskQueue | null
  readonly knowledge: KnowledgeContext | null
  readonly events: Pick<EventBus, 'emit'>
  readonly settings: {
    readonly preferExpertsFirst: () => boolean
    readonly historyTurns: () => number
    readonly boardEnabled: () => boolean
  }
  /** How often a streaming answer's text is written to the store, so a reload or a crash keeps what came; 1 s by default. */
  readonly flushMs?: number
}

export const NO_BACKEND =
  'No model backend is connected, so there is no one to answer. Start Ollama or an MLX server on this Mac (or connect a node in the Models view), then press Retry.'

/** A failure whose message is already meant for the person reading the chat. */
export class AnswerFailure extends Error {}

export class StopRequest extends Error {
  constructor(readonly why: 'user' | 'shutdown') {
    super(why === 'user' ? 'stopped by the user' : 'the app is closing')
  }
}

/** Counts one model call of an answer in the usage ledger; `failed` when it spent tokens and gave no answer. */
export type RecordUsage = (
  purpose: UsagePurpose,
  info: ChatCompletionInfo,
  expert: Expert | null,
  failed?: boolean
) => void

/** One answer being written: what every step of it reads. */
export interface AnswerRun {
  readonly deps: ChatPipelineDeps
  readonly answer: ChatMessage
  readonly userMessage: ChatMessage
  readonly priority: 'normal' | 'high'
  readonly correlationId: string
  readonly log: Logger
  readonly signal: AbortSignal
}
