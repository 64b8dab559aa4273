import { RpcFailure } from '../../../shared/contract/rpc-error'
import type { CallOutput } from '../../../shared/contract/contract'
import type { FileResearch } from '../../autopilot/learning-generator'
import type { ReadCall } from '../../rpc/read-call'

/**
 * Research tasks go in through tasks.create at low priority, so the queue's
 * 30-day dedup per expert decides what is a repeat, the same rule a person's
 * tasks follow; its refusal names the existing task.
 */
export function researchFiler(call: ReadCall): FileResearch {
  return async (task) => {
    const result = await call('tasks.create', { ...task, priority: 'low' })
    if (result.ok) return { filed: true, id: (result.value as CallOutput<'tasks.create'>).id }
    const existing = result.error.code === 'conflict' ? result.error.issues?.find((i) => i.path === 'existingId')?.message : undefined
    if (existing !== undefined) return { filed: false, duplicateOf: existing }
    throw new RpcFailure(result.error)
  }
}
