import type { ConfigService } from '../../config/config-service'
import type { TaskModelCall } from '../../models/router-task-processor'
import type { UsageRecord } from '../../usage/usage-ledger'
import { estimateTokens } from './router-chat-model'

/** A task's model call as the usage ledger counts it: by its expert, and its project (metadata's, else its domain); one that gave no answer is marked failed. */
export function taskUsage(call: TaskModelCall): UsageRecord {
  const { task, usage } = call
  return {
    correlationId: task.correlationId,
    source: task.workflowRunId ? 'workflow' : 'task',
    purpose: 'task',
    taskId: task.id,
    expertId: task.assigneeExpert,
    project: task.project ?? task.domain,
    failed: call.failed,
    info: {
      node: call.node,
      model: call.model,
      tokensIn: usage?.tokensIn ?? estimateTokens(call.messages.map((m) => m.content).join('\n')),
      tokensOut: usage?.tokensOut ?? estimateTokens(call.answer),
      counted: usage ? 'backend' : 'estimate',
      ttftMs: null,
      durationMs: call.durationMs,
      fellBack: call.fellBack
    }
  }
}

/**
 * usage.tokenBudget, or the daily chat budget it replaced while a settings
 * file still sets only that one, so an owner's budget is not lost on update.
 */
export function tokenBudget(config: Pick<ConfigService, 'get' | 'snapshot'>): number {
  const sources = new Map(config.snapshot().settings.map((s) => [s.key, s.source.kind]))
  if (sources.get('usage.tokenBudget') === 'default' && sources.get('chat.dailyTokenBudget') !== 'default')
    return config.get('chat.dailyTokenBudget')
  return config.get('usage.tokenBudget')
}
