import type { Expert } from '../../shared/contract/chat-contract'
import type { KosClient } from '../../shared/contract/client'
import type { ModelsOverview, NodeView } from '../../shared/contract/models-contract'
import type { ReviewSuggestion } from '../../shared/contract/review-contract'
import type { Task } from '../../shared/contract/tasks-contract'
import { bestExpertFor, detectDomain } from '../chat/request-classifier'
import { isEmbeddingModel, sameModel } from '../models/candidates'
import type { HandlersFor } from '../rpc/handler-types'
import { refuse } from '../rpc/refusal'
import { reviewReturn, type RequeueWith } from './review-return'

type Suggested = Omit<ReviewSuggestion, 'taskId'>

/**
 * What the app would try for a task in manual review: the expert of its
 * domain (as the lead agent assigns new tasks), and a chat model that
 * answers now, other than the one it failed on — the one preferred for that
 * expert's category first, then one already in memory, then any.
 */
export function suggestFor(task: Task, experts: readonly Expert[], models: ModelsOverview): Suggested {
  const domain = task.domain ?? detectDomain(`${task.title}\n${task.description}`)
  const best = bestExpertFor(domain, experts)
  const expert = best ?? experts.find((e) => e.lead) ?? null
  const assigned = expert !== null && expert.id === task.assigneeExpert
  const expertWhy = !expert
    ? ''
    : best
      ? `${assigned ? 'already assigned; ' : ''}its domain is ${domain}`
      : `no expert has the domain ${domain}, so the lead agent takes it`
  const category = expert?.modelCategory ?? domain
  const preferred = models.preferences.find((p) => p.category === category)?.model ?? null
  const up = models.nodes.filter((n) => n.state === 'up')
  const chatModels = up.flatMap((node) =>
    node.models.filter((m) => !isEmbeddingModel(m.name)).map((m) => ({ node, model: m.name, loaded: m.loaded }))
  )
  const circuitOpen = (c: (typeof chatModels)[number]): boolean => c.node.circuits.some((o) => o.model === c.model)
  const candidates = chatModels
    .filter((c) => !circuitOpen(c))
    .filter((c) => !(c.node.id === task.backend && c.model === task.model))
  const pick =
    (preferred !== null ? candidates.find((c) => sameModel(preferred, c.model)) : undefined) ??
    candidates.find((c) => c.loaded) ??
    candidates[0] ??
    null
  const failedOn = task.model
    ? `${task.model}${task.backend ? ` on ${labelOf(models.nodes, task.backend)}` : ''}`
    : null
  const model = pick && {
    node: pick.node.id,
    nodeLabel: pick.node.label,
    model: pick.model,
    why: [
      preferred !== null && sameModel(preferred, pick.model) ? `preferred for ${category}` : null,
      pick.loaded ? 'already in memory' : null,
      failedOn ? `instead of ${failedOn}, where it failed` : null
    ]
      .filter((part) => part !== null)
      .join('; ')
  }
  return {
    expert: expert && { id: expert.id, name: expert.name, why: expertWhy },
    model,
    noModel: model ? null : noModelReason(failedOn, chatModels.filter(circuitOpen))
  }
}

function noModelReason(failedOn: string | null, open: readonly { node: NodeView; model: string }[]): string {
  const reasons = [
    ...(open.length > 0
      ? [
          `${open.map((o) => `${o.model} on ${o.node.label}`).join(', ')} ${open.length === 1 ? 'has its' : 'have their'} circuit open`
        ]
      : []),
    ...(failedOn ? [`it failed on ${failedOn}`] : [])
  ]
  return `No other chat model answers now${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}. Bring a model server back, or wait for the circuit to close, then return the task.`
}

function labelOf(nodes: readonly NodeView[], id: string): string {
  return nodes.find((n) => n.id === id)?.label ?? id
}

/** `review.suggest`, reading the tasks, the team and the nodes through the contract as a person's calls would; `review.return` applies a suggestion. */
export function reviewHandlers(reader: KosClient, requeueWith: RequeueWith): HandlersFor<'review'> {
  return {
    'review.return': reviewReturn(reader, requeueWith),
    'review.choices': async () => {
      const [team, models] = await Promise.all([reader.call('chat.experts.list', {}), reader.call('models.list', {})])
      if (!models.ok) return refuse(models.error.code, models.error.message)
      if (!team.ok) return refuse(team.error.code, team.error.message)
      return {
        models: models.value.nodes.flatMap((n) =>
          n.models
            .filter((m) => !isEmbeddingModel(m.name))
            .map((m) => ({ node: n.id, nodeLabel: n.label, model: m.name, up: n.state === 'up' }))
        ),
        experts: team.value.experts.map((e) => ({ id: e.id, name: e.name, role: e.role }))
      }
    },
    'review.suggest': async ({ ids }) => {
      const [team, models] = await Promise.all([reader.call('chat.experts.list', {}), reader.call('models.list', {})])
      if (!models.ok) return refuse(models.error.code, models.error.message)
      const experts = team.ok ? team.value.experts : []
      const suggestions: ReviewSuggestion[] = []
      for (const id of ids) {
        const task = await reader.call('tasks.get', { id })
        if (task.ok) suggestions.push({ taskId: id, ...suggestFor(task.value.task, experts, models.value) })
      }
      return suggestions
    }
  }
}
