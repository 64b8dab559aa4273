import type { ChatRoute, Expert } from '../../shared/contract/chat-contract'
import { describeError } from '../../shared/describe-error'
import { classifyStrategic } from '../board/strategic-classifier'
import type { ChatModel } from '../ports/chat-model'
import type { KnowledgeSource } from '../ports/knowledge-context'
import { bestExpertFor, classifyRequest, type RequestAnalysis } from './request-classifier'
import type { AnswerRun, RecordUsage } from './answer-run'
import { reportingSpentInFailure } from '../ports/spent-in-failure'

export interface Plan {
  readonly route: ChatRoute
  readonly expert: Expert
  readonly analysis: RequestAnalysis
  readonly steps: readonly string[]
}

/** Routes the question: the board for a strategic one, tasks for a complex one, an expert or the lead for the rest. */
export async function planAnswer(run: AnswerRun, model: ChatModel, recordUsage: RecordUsage): Promise<Plan> {
  const { deps, userMessage, priority, correlationId, log, signal } = run
  const analysis = classifyRequest(userMessage.content, priority)
  const lead = deps.experts.lead()
  const strategic = deps.settings.boardEnabled()
    ? await classifyStrategic(userMessage.content, {
        model: reportingSpentInFailure(model, (info) => recordUsage('classify', info, null, true)),
        signal,
        correlationId,
        log
      })
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

/** The knowledge base's context for the question; a failure to read it becomes a notice, not a failed answer. */
export async function knowledgeFor(
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
