import type { ChatMessage, ProgressStatus } from '../../shared/contract/chat-contract'
import { describeError } from '../../shared/describe-error'
import { completeText } from '../ports/complete-text'
import type { ChatModel } from '../ports/chat-model'
import type { TaskQueue } from '../ports/task-queue'
import { DECOMPOSE_PROMPT, parseSubtasks } from './chat-prompts'
import { followSubtasks, queueSubtasks } from './subtask-runner'
import { AnswerFailure, type AnswerRun, type RecordUsage } from './answer-run'
import type { Plan } from './answer-plan'

/** Splits a complex request into tasks, queues them under one parent, and waits for their results to write the answer from. */
export async function runSubtasks(
  run: AnswerRun,
  tasks: TaskQueue,
  model: ChatModel,
  plan: Plan,
  progress: (status: ProgressStatus, label: string, advance?: boolean) => void,
  patch: { parentTaskId?: string | null; subtasks?: ChatMessage['subtasks'] },
  recordUsage: RecordUsage
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
    correlationId,
    onSpentInFailure: (spent) => recordUsage('decompose', spent, lead, true)
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
