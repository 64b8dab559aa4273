import { valueOrNull, type KosClient } from '../../../shared/contract/client'
import { RpcFailure } from '../../../shared/contract/rpc-error'
import type { FileResearch } from '../../autopilot/learning-generator'
import type { LearningResultsDeps } from '../../autopilot/learning-results'

/**
 * Research tasks go in through tasks.create at low priority, so the queue's
 * 30-day dedup per expert decides what is a repeat, the same rule a person's
 * tasks follow; its refusal names the existing task. `watch` is told the task
 * (new or existing), whose result is filed into the knowledge base when it completes.
 */
export function researchFiler(
  client: Pick<KosClient, 'call'>,
  watch: (taskId: string) => void = () => {}
): FileResearch {
  return async (task) => {
    const result = await client.call('tasks.create', { ...task, priority: 'low' })
    if (result.ok) {
      watch(result.value.id)
      return { filed: true, id: result.value.id }
    }
    const existing =
      result.error.code === 'conflict' ? result.error.issues?.find((i) => i.path === 'existingId')?.message : undefined
    if (existing !== undefined) {
      watch(existing)
      return { filed: false, duplicateOf: existing }
    }
    throw new RpcFailure(result.error)
  }
}

/**
 * What the learning-results filer reads and writes, through the same calls a
 * person's client makes: the task, its validator verdicts, the knowledge base.
 */
export function learnedNotesThrough(
  client: Pick<KosClient, 'call'>
): Pick<LearningResultsDeps, 'task' | 'validationFailure' | 'filedFrom' | 'file' | 'expertName'> {
  return {
    async task(id) {
      const detail = valueOrNull(await client.call('tasks.get', { id }))
      if (!detail) return null
      const { task, events } = detail
      return {
        id: task.id,
        title: task.title,
        description: task.description,
        status: task.status,
        result: task.result,
        domain: task.domain,
        expert: task.assigneeExpert,
        source: task.metadata.source,
        gap: task.metadata.gap,
        finishedAt: events.at(-1)?.at ?? task.updatedAt
      }
    },
    async validationFailure(id) {
      const verdicts = valueOrNull(await client.call('validation.task', { id }))?.verdicts ?? []
      const last = verdicts.at(-1)
      return last?.outcome === 'failed' ? last.reasons.join('; ') || 'no reason given' : null
    },
    async filedFrom(source) {
      const found = await client.call('knowledge.list', { source, limit: 1 })
      if (!found.ok) throw new RpcFailure(found.error)
      // The filter matches by prefix; the exact source is the one asked for.
      return found.value.nodes.find((n) => n.source === source)?.id ?? null
    },
    async file(doc) {
      const added = await client.call('knowledge.addText', {
        title: doc.title,
        content: doc.content,
        source: doc.source,
        ...(doc.domain ? { domain: doc.domain } : {})
      })
      if (!added.ok) throw new RpcFailure(added.error)
      return added.value.id
    },
    async expertName(id) {
      const experts = valueOrNull(await client.call('chat.experts.list', {}))?.experts ?? []
      return experts.find((e) => e.id === id)?.name ?? id
    }
  }
}
