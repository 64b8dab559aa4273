import type { Expert } from '../../shared/contract/chat-contract'
import type { KosClient } from '../../shared/contract/client'
import type { ModelsOverview } from '../../shared/contract/models-contract'
import type { ReviewReturnInput } from '../../shared/contract/review-contract'
import type { Task } from '../../shared/contract/tasks-contract'
import { isEmbeddingModel, sameModel } from '../models/candidates'
import type { CallContext } from '../rpc/handler-types'
import { chatModelNames, chatModelsOn } from './chat-models'
import { Refusal, refuse } from '../rpc/refusal'
import type { Reassignment } from '../tasks/task-store'

/** Returns tasks to autoprocessing in one write, with the reassignment applied in it (the task engine's requeue). */
export type RequeueWith = (ids: readonly string[], reassign: Reassignment) => Promise<string[]>

interface ChosenModel {
  readonly name: string
  readonly node: string | null
  readonly where: string
}

const issue = (path: string, message: string): Refusal =>
  refuse('invalid_input', message, { issues: [{ path, message }] })

/** The chat model asked for, as a node has it, or why it cannot be used, naming the value and what to do. */
export function chooseModel(models: ModelsOverview, model: string, node: string | undefined): ChosenModel | Refusal {
  const chatModels = models.nodes.flatMap((n) => chatModelNames(n).map((name) => ({ node: n, name })))
  const known = chatModelsOn(models.nodes) ?? 'none; add a node or pull a model'
  if (isEmbeddingModel(model))
    return issue('model', `"${model}" is an embedding model and cannot write answers. Pick a chat model: ${known}.`)
  if (node !== undefined) {
    const found = models.nodes.find((n) => n.id === node || n.label.toLowerCase() === node.toLowerCase())
    if (!found)
      return issue(
        'node',
        `There is no node "${node}". Pick one of: ${models.nodes.map((n) => `${n.id} (${n.label})`).join(', ') || 'none; add one in the Models view'}.`
      )
    const onNode = chatModels.find((c) => c.node.id === found.id && sameModel(model, c.name))
    if (!onNode)
      return issue(
        'model',
        `${found.label} has no chat model "${model}". It has: ${chatModelNames(found).join(', ') || 'none'}. Pull it there in the Models view, or pick another.`
      )
    return { name: onNode.name, node: found.id, where: `${onNode.name} on ${found.label}` }
  }
  const matches = chatModels.filter((c) => sameModel(model, c.name))
  const first = matches[0]
  if (!first)
    return issue(
      'model',
      `No node has a chat model "${model}". Models there now: ${known}. Pull it in the Models view, or pick one of those.`
    )
  // On one node: the task goes there. On several: whichever has it when the task runs.
  return matches.length === 1
    ? { name: first.name, node: first.node.id, where: `${first.name} on ${first.node.label}` }
    : { name: first.name, node: null, where: first.name }
}

/** The expert asked for, by id or name, or why there is none. */
export function chooseExpert(experts: readonly Expert[], wanted: string): Expert | Refusal {
  const lower = wanted.toLowerCase()
  const found = experts.find((e) => e.id === wanted) ?? experts.find((e) => e.name.toLowerCase() === lower)
  return (
    found ??
    issue(
      'expert',
      `There is no expert "${wanted}". Pick one of: ${experts.map((e) => `${e.name} (${e.id})`).join(', ') || 'none; add one in Chat → Experts'}.`
    )
  )
}

/** `review.return`: checks the model and expert through the contract as a person's calls would, then returns the task with them in one write. */
export function reviewReturn(reader: KosClient, requeueWith: RequeueWith) {
  return async (input: ReviewReturnInput, ctx: CallContext): Promise<Task | Refusal> => {
    const { id, model, node, expert } = input
    if (node !== undefined && model === undefined)
      return issue('model', `The node "${node}" was given without a model; give the model to run on it too.`)
    const got = await reader.call('tasks.get', { id })
    if (!got.ok) return refuse(got.error.code, got.error.message)
    const before = got.value.task
    if (before.status !== 'deferred_to_human' && before.status !== 'failed')
      return refuse(
        'conflict',
        `Task "${id}" is ${before.status.replace(/_/g, ' ')}, not in manual review, so it cannot be returned. Only a task in review (or waiting for a retry) can.`
      )
    let chosen: ChosenModel | null = null
    if (model !== undefined) {
      const models = await reader.call('models.list', {})
      if (!models.ok) return refuse(models.error.code, models.error.message)
      const picked = chooseModel(models.value, model, node)
      if (picked instanceof Refusal) return picked
      chosen = picked
    }
    let assignee: Expert | null = null
    if (expert !== undefined) {
      const team = await reader.call('chat.experts.list', {})
      if (!team.ok) return refuse(team.error.code, team.error.message)
      const picked = chooseExpert(team.value.experts, expert)
      if (picked instanceof Refusal) return picked
      assignee = picked
    }
    const was = [before.model, before.assigneeExpert ? `expert ${before.assigneeExpert}` : null]
      .filter((p) => p !== null)
      .join(', ')
    const note = [
      'returned to autoprocessing',
      chosen || assignee
        ? ` with ${[chosen?.where, assignee ? `expert ${assignee.name}` : null].filter(Boolean).join(' and ')}`
        : '',
      was && (chosen || assignee) ? ` (before: ${was})` : ''
    ].join('')
    const requeued = await requeueWith([id], {
      model: chosen && { name: chosen.name, backend: chosen.node },
      expert: assignee?.id ?? null,
      note
    })
    if (requeued.length === 0)
      return refuse(
        'conflict',
        `Task "${id}" left manual review meanwhile, so it was not returned; nothing was changed.`
      )
    const taskCorrelation = before.metadata.correlationId
    // On the task's own trail (kos logs --correlation), naming the call that returned it.
    ctx.log.info('task returned from review', {
      ...(typeof taskCorrelation === 'string'
        ? { correlation_id: taskCorrelation, returned_by_correlation_id: ctx.correlationId }
        : {}),
      task_id: id,
      model: chosen?.name ?? null,
      node: chosen?.node ?? null,
      expert: assignee?.id ?? null
    })
    const after = await reader.call('tasks.get', { id })
    return after.ok ? after.value.task : refuse(after.error.code, after.error.message)
  }
}
