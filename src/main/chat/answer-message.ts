import type { BoardDecision } from '../../shared/contract/board-contract'
import { RpcFailure } from '../../shared/contract/rpc-error'
import type { ChatMessage, Expert, MessageStatus, ProgressStatus } from '../../shared/contract/chat-contract'
import { describeError } from '../../shared/describe-error'
import { completeText } from '../ports/complete-text'
import type { ChatCompletionInfo, ChatModel, ChatModelRequest } from '../ports/chat-model'
import { answerTurns } from './chat-prompts'
import type { MessagePatch } from './chat-store'
import type { UsagePurpose } from '../usage/usage-ledger'
import {
  AnswerFailure,
  NO_BACKEND,
  StopRequest,
  type AnswerRun,
  type ChatPipelineDeps,
  type RecordUsage
} from './answer-run'
import { knowledgeFor, planAnswer } from './answer-plan'
import { runSubtasks } from './answer-subtasks'

/** Writes one answer from start to end. Never rejects: every way out records the message and emits chat.finished. */
export async function answerMessage(run: AnswerRun): Promise<void> {
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
  const recordUsage: RecordUsage = (purpose, info, expert, failed = false) => {
    deps.usage.record({
      correlationId,
      source: 'chat',
      sessionId: answer.sessionId,
      messageId: answer.id,
      expertId: expert?.id ?? null,
      purpose,
      info,
      expertAnswer: !failed && purpose === 'answer' && expert !== null && !expert.lead,
      failed
    })
  }
  const stream = async (
    request: Omit<ChatModelRequest, 'signal' | 'correlationId'>,
    model: ChatModel,
    counted: { readonly purpose: UsagePurpose; readonly expert: Expert }
  ): Promise<ChatCompletionInfo> => {
    const { info } = await completeText(
      model,
      {
        ...request,
        signal,
        correlationId,
        onSpentInFailure: (spent) => recordUsage(counted.purpose, spent, counted.expert, true)
      },
      token
    )
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
      model,
      { purpose: results ? 'synthesize' : 'answer', expert: writer }
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
