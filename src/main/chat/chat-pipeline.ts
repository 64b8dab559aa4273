import type { BoardDecision } from '../../shared/contract/board-contract'
import { RpcFailure } from '../../shared/contract/rpc-error'
import type { ChatMessage, ChatRoute, Expert, MessageStatus, ProgressStatus } from '../../shared/contract/chat-contract'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { BoardService } from '../board/board-service'
import { describeError } from '../../shared/describe-error'
import { completeText } from '../ports/complete-text'
import { classifyStrategic } from '../board/strategic-classifier'
import type { ChatCompletionInfo, ChatModel, ChatModelRequest } from '../ports/chat-model'
import type { KnowledgeContext, KnowledgeSource } from '../ports/knowledge-context'
import type { TaskQueue } from '../ports/task-queue'
import { DECOMPOSE_PROMPT, answerTurns, parseSubtasks } from './chat-prompts'
import type { ChatStore, MessagePatch } from './chat-store'
import type { ExpertDirectory } from './expert-directory'
import { bestExpertFor, classifyRequest, type RequestAnalysis } from './request-classifier'
import { followSubtasks, queueSubtasks } from './subtask-runner'
import type { UsageCapability } from '../usage/usage-capability'
import type { UsagePurpose } from '../usage/usage-ledger'

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

export const NO_BACKEND =
  'No model backend is connected, so there is no one to answer. Start Ollama or an MLX server on this Mac (or connect a node in the Models view), then press Retry.'

/** A failure whose message is already meant for the person reading the chat. */
class AnswerFailure extends Error {}

class StopRequest extends Error {
  constructor(readonly why: 'user' | 'shutdown') {
    super(why === 'user' ? 'stopped by the user' : 'the app is closing')
  }
}

interface Running {
  readonly sessionId: string
  readonly controller: AbortController
  readonly done: Promise<void>
}

interface Plan {
  readonly route: ChatRoute
  readonly expert: Expert
  readonly analysis: RequestAnalysis
  readonly steps: readonly string[]
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

interface AnswerRun {
  readonly deps: ChatPipelineDeps
  readonly answer: ChatMessage
  readonly userMessage: ChatMessage
  readonly priority: 'normal' | 'high'
  readonly correlationId: string
  readonly log: Logger
  readonly signal: AbortSignal
}

/** Writes one answer from start to end. Never rejects: every way out records the message and emits chat.finished. */
async function answerMessage(run: AnswerRun): Promise<void> {
  const { deps, answer, userMessage, correlationId, log, signal } = run
  const started = Date.now()
  let content = ''
  let step = 0
  let total = 3
  const notices: string[] = []
  const patch: { -readonly [K in keyof MessagePatch]: MessagePatch[K] } = {}
  const base = { sessionId: answer.sessionId, messageId: answer.id, correlationId }

  const progress = (status: ProgressStatus, label: string, advance = true): void => {
    if (advance || step === 0) step = Math.min(step + 1, total)
    deps.events.emit('chat.progress', { ...base, step, total, status, label })
    log.info('chat progress', { step, total, status, label })
  }
  let flushedAt = Date.now()
  const token = (text: string): void => {
    content += text
    deps.events.emit('chat.token', { sessionId: answer.sessionId, messageId: answer.id, text })
    if (Date.now() - flushedAt < (deps.flushMs ?? 1000)) return
    flushedAt = Date.now()
    try {
      deps.store.updateMessage(answer.id, { content })
    } catch (error) {
      log.debug('partial answer not stored', { error: describeError(error) })
    }
  }
  const recordUsage = (purpose: UsagePurpose, info: ChatCompletionInfo, expert: Expert | null): void => {
    deps.usage.record({
      correlationId,
      source: 'chat',
      sessionId: answer.sessionId,
      messageId: answer.id,
      expertId: expert?.id ?? null,
      purpose,
      info,
      expertAnswer: purpose === 'answer' && expert !== null && !expert.lead
    })
  }
  const stream = async (
    request: Omit<ChatModelRequest, 'signal' | 'correlationId'>,
    model: ChatModel
  ): Promise<ChatCompletionInfo> => {
    const { info } = await completeText(model, { ...request, signal, correlationId }, token)
    return info
  }

  const finish = (status: MessageStatus, error: string | null): void => {
    const latencyMs = Date.now() - started
    let message: ChatMessage
    // Sources are read before the model answers: only an answer that was written (whole, or stopped
    // part-way) used them, so a failed one lists none rather than documents nobody read.
    const usedSources = status === 'complete' || (status === 'stopped' && content !== '')
    const final: MessagePatch = {
      ...patch,
      ...(usedSources ? {} : { sources: [] }),
      content,
      status,
      error,
      notice: notices.length ? notices.join(' ') : null,
      latencyMs
    }
    try {
      message = deps.store.updateMessage(answer.id, final)
    } catch (storeError) {
      if (storeError instanceof RpcFailure && storeError.error.code === 'not_found') {
        log.info('chat answer ended after its session was deleted', { status })
        deps.events.emit('chat.finished', { message: { ...answer, ...final } })
        return
      }
      log.error('chat answer could not be stored', { error: storeError })
      message = {
        ...answer,
        ...final,
        error: `${error ?? ''} The answer could not be saved: ${describeError(storeError)}`.trim()
      }
    }
    log.info('chat answer finished', {
      status,
      route: message.route,
      expert: message.expertId,
      model: message.model,
      node: message.node,
      latency_ms: latencyMs,
      error
    })
    deps.events.emit('chat.finished', { message })
  }

  try {
    const question = userMessage.content
    log.info('chat answer started', { priority: run.priority })
    const history = previousTurns(deps, userMessage)

    // A cached answer is only right for a question that stands alone: in a
    // conversation the same words can ask something else.
    if (history.length === 0 && deps.knowledge) {
      const cached = deps.knowledge.cachedAnswer(question)
      if (cached !== null) {
        total = 1
        Object.assign(patch, { route: 'cache', model: 'response cache', node: 'this Mac', tokensIn: 0, tokensOut: 0 })
        token(cached)
        progress('complete', 'Answered from the response cache')
        finish('complete', null)
        return
      }
    }
    const model = deps.model
    if (!model) throw new AnswerFailure(NO_BACKEND)

    progress('analysis', 'Understanding the request')
    const plan = await planAnswer(run, model, recordUsage)
    total = plan.steps.length
    Object.assign(patch, { route: plan.route, expertId: plan.expert.id, expertName: plan.expert.name })
    deps.store.updateMessage(answer.id, { route: plan.route, expertId: plan.expert.id, expertName: plan.expert.name })
    progress(
      'analysis',
      `${plan.steps[0]}: ${plan.analysis.reason}${plan.route === 'strategic' ? ', a strategic question for the board' : ''}`,
      false
    )

    progress('analysis', plan.steps[1] ?? 'Reading the knowledge base')
    const context = await knowledgeFor(run, notices)
    if (context && context.sources.length) patch.sources = [...context.sources]

    let decision: BoardDecision | null = null
    if (plan.route === 'strategic') {
      progress('analysis', `Consulting the board of directors (up to ${deps.board.timeoutSec()} s)`)
      const outcome = await deps.board.consult({
        question,
        source: 'chat',
        correlationId,
        log,
        sessionId: answer.sessionId,
        messageId: answer.id,
        signal
      })
      if (outcome.ok) {
        decision = outcome.decision
        patch.boardDecisionId = decision.id
      } else if (outcome.reason === 'aborted') {
        throw signal.reason instanceof Error ? signal.reason : new StopRequest('user')
      } else {
        notices.push(`The board could not decide (${outcome.message}), so this answer comes without its decision.`)
        progress('analysis', `The board could not decide (${outcome.message}); going on without its decision`, false)
      }
    }

    let results: { title: string; outcome: string }[] | undefined
    if (plan.route === 'complex' && deps.tasks) {
      results = await runSubtasks(run, deps.tasks, model, plan, progress, patch, recordUsage)
    }

    const writer = results ? deps.experts.lead() : plan.expert
    progress(
      'executing',
      results
        ? `${writer.name} is writing the answer from the results`
        : `${writer.name} (${writer.role}) is writing the answer`
    )
    const info = await stream(
      {
        messages: answerTurns({
          expert: writer,
          question,
          history,
          context: context?.text || null,
          decision,
          ...(results ? { results } : {})
        }),
        category: writer.lead ? (plan.route === 'simple' ? 'general' : plan.analysis.domain) : writer.modelCategory,
        ...(plan.route === 'simple'
          ? { size: 'light' as const }
          : plan.route === 'execution'
            ? { size: 'heavy' as const }
            : {})
      },
      model
    )
    recordUsage(results ? 'synthesize' : 'answer', info, writer)
    if (info.fellBack) notices.push(`The first model chosen did not answer; ${info.model} on ${info.node} did.`)
    Object.assign(patch, {
      model: info.model,
      node: info.node,
      tokensIn: info.tokensIn,
      tokensOut: info.tokensOut,
      fellBack: info.fellBack
    })
    if (!content.trim())
      throw new AnswerFailure(
        `${info.model} on ${info.node} answered with nothing. Press Retry, or pick another model in the Models view.`
      )
    if ((plan.route === 'simple' || plan.route === 'execution') && history.length === 0 && deps.knowledge)
      deps.knowledge.rememberAnswer(question, content)
    progress('complete', 'Answer complete', false)
    finish('complete', null)
  } catch (error) {
    const reason: unknown = signal.reason
    if (signal.aborted && reason instanceof StopRequest) {
      if (reason.why === 'user' && patch.parentTaskId) notices.push('The tasks go on in the Tasks view.')
      progress('error', reason.why === 'user' ? 'Stopped' : 'Stopped: the app is closing', false)
      finish(
        reason.why === 'user' ? 'stopped' : 'error',
        reason.why === 'user' ? null : 'The app closed while this answer was being written. Press Retry.'
      )
      return
    }
    const message =
      error instanceof AnswerFailure
        ? error.message
        : content
          ? `The answer broke off while being written: ${describeError(error)}. Press Retry, or check the Models view for a failing node.`
          : `The answer failed: ${describeError(error)}. Press Retry, or check the Models view for a failing node.`
    log.error('chat answer failed', { error: describeError(error) })
    progress('error', message, false)
    finish('error', message)
  }
}

function previousTurns(deps: ChatPipelineDeps, userMessage: ChatMessage): ChatMessage[] {
  const limit = deps.settings.historyTurns()
  if (limit === 0) return []
  const all = deps.store.messages(userMessage.sessionId)
  const index = all.findIndex((m) => m.id === userMessage.id)
  return all
    .slice(0, index < 0 ? all.length : index)
    .filter((m) => m.status === 'complete' && m.content.trim())
    .slice(-limit)
}

async function planAnswer(
  run: AnswerRun,
  model: ChatModel,
  recordUsage: (p: UsagePurpose, i: ChatCompletionInfo, e: Expert | null) => void
): Promise<Plan> {
  const { deps, userMessage, priority, correlationId, log, signal } = run
  const analysis = classifyRequest(userMessage.content, priority)
  const lead = deps.experts.lead()
  const strategic = deps.settings.boardEnabled()
    ? await classifyStrategic(userMessage.content, { model, signal, correlationId, log })
    : { strategic: false, by: 'rules' as const }
  if (strategic.info) recordUsage('classify', strategic.info, null)
  log.info('request classified', {
    kind: analysis.kind,
    domain: analysis.domain,
    strategic: strategic.strategic,
    strategic_by: strategic.by
  })

  const first = 'Understanding the request'
  const context = deps.knowledge ? 'Reading the knowledge base' : 'No knowledge base connected; answering without it'
  if (strategic.strategic)
    return {
      route: 'strategic',
      expert: lead,
      analysis,
      steps: [first, context, 'Consulting the board', 'Writing the answer']
    }
  if (analysis.kind === 'complex' && deps.tasks) {
    return {
      route: 'complex',
      expert: lead,
      analysis,
      steps: [first, context, 'Splitting into tasks', 'Waiting for the tasks', 'Writing the answer']
    }
  }
  if (analysis.kind !== 'simple' && deps.settings.preferExpertsFirst()) {
    const expert = bestExpertFor(analysis.domain, deps.experts.list()) ?? lead
    const note =
      analysis.kind === 'complex'
        ? {
            ...analysis,
            reason: `${analysis.reason}; the task engine is not connected, so one expert answers it whole`
          }
        : analysis
    return { route: 'execution', expert, analysis: note, steps: [first, context, 'Writing the answer'] }
  }
  return { route: 'simple', expert: lead, analysis, steps: [first, context, 'Writing the answer'] }
}

async function knowledgeFor(
  run: AnswerRun,
  notices: string[]
): Promise<{ text: string; sources: readonly KnowledgeSource[] } | null> {
  const { deps, userMessage, signal, log } = run
  if (!deps.knowledge) return null
  try {
    return await deps.knowledge.contextFor(userMessage.content, signal)
  } catch (error) {
    if (signal.aborted) throw error
    log.warn('knowledge context failed', { error: describeError(error) })
    notices.push(`The knowledge base could not be read (${describeError(error)}), so this answer does not use it.`)
    return null
  }
}

async function runSubtasks(
  run: AnswerRun,
  tasks: TaskQueue,
  model: ChatModel,
  plan: Plan,
  progress: (status: ProgressStatus, label: string, advance?: boolean) => void,
  patch: { parentTaskId?: string | null; subtasks?: ChatMessage['subtasks'] },
  recordUsage: (p: UsagePurpose, i: ChatCompletionInfo, e: Expert | null) => void
): Promise<{ title: string; outcome: string }[]> {
  const { deps, answer, userMessage, correlationId, log, signal } = run
  progress('executing', 'Splitting the request into tasks')
  const lead = deps.experts.lead()
  const { text, info } = await completeText(model, {
    messages: [
      { role: 'system', content: DECOMPOSE_PROMPT },
      { role: 'user', content: userMessage.content }
    ],
    category: 'general',
    signal,
    correlationId
  })
  recordUsage('decompose', info, lead)
  const queued = queueSubtasks(tasks, {
    request: userMessage.content,
    domain: plan.analysis.domain,
    priority: run.priority,
    planned: parseSubtasks(text, userMessage.content),
    experts: deps.experts.list(),
    lead,
    correlationId,
    sessionId: answer.sessionId,
    messageId: answer.id
  })
  patch.parentTaskId = queued.parentTaskId
  patch.subtasks = queued.subtasks
  deps.store.updateMessage(answer.id, { parentTaskId: queued.parentTaskId, subtasks: queued.subtasks })
  log.info('subtasks queued', { parent_task_id: queued.parentTaskId, subtasks: queued.subtasks.map((s) => s.id) })
  const emit = (subtasks: ChatMessage['subtasks']): void => {
    patch.subtasks = subtasks
    // Called from the task engine's watcher: a failed write must not reach it.
    try {
      deps.store.updateMessage(answer.id, { subtasks })
    } catch (error) {
      log.debug('subtask progress not stored', { error: describeError(error) })
    }
    deps.events.emit('chat.subtasks', {
      sessionId: answer.sessionId,
      messageId: answer.id,
      parentTaskId: queued.parentTaskId,
      subtasks
    })
  }
  emit(queued.subtasks)
  progress('executing', `Waiting for ${queued.subtasks.length} tasks in the task engine`)
  const ended = await followSubtasks(tasks, queued.subtasks, emit, signal, log)
  const completed = ended.filter((t) => t.status === 'completed')
  if (completed.length === 0) {
    const why = [...new Set(ended.map((t) => t.lastError ?? t.status))].join('; ')
    throw new AnswerFailure(
      `None of the ${ended.length} tasks was completed (${why}). They are in the Tasks view; return them to autoprocessing there, then press Retry.`
    )
  }
  return ended.map((t) => ({
    title: t.title,
    outcome:
      t.status === 'completed'
        ? (t.result ?? '(no result text)')
        : `Not done (${t.status}${t.lastError ? `: ${t.lastError}` : ''})`
  }))
}
