import type { KosClient } from '../../../shared/contract/client'
import { RpcFailure } from '../../../shared/contract/rpc-error'
import type { FileResearch } from '../../autopilot/learning-generator'

/**
 * Research tasks go in through tasks.create at low priority, so the queue's
 * 30-day dedup per expert decides what is a repeat, the same rule a person's
 * tasks follow; its refusal names the existing task.
 */
export function researchFiler(client: Pick<KosClient, 'call'>): FileResearch {
  return async (task) => {
    const result = await client.call('tasks.create', { ...task, priority: 'low' })
    if (result.ok) return { filed: true, id: result.value.id }
    const existing =
      result.error.code === 'conflict' ? result.error.issues?.find((i) => i.path === 'existingId')?.message : undefined
    if (existing !== undefined) return { filed: false, duplicateOf: existing }
    throw new RpcFailure(result.error)
  }
}
