import { valueOrNull, type KosClient } from '../../shared/contract/client'
import type { Handler } from '../rpc/handler-types'
import { refuse } from '../rpc/refusal'
import { autoAssigning } from './task-auto-assign'
import { checkingPreferences } from './task-preferences'

/**
 * `tasks.create` as every caller reaches it: assigned by the lead agent when asked (task-auto-assign.ts),
 * its preferred node and model checked (task-preferences.ts). The team and the nodes are read through
 * the contract, which the task capability cannot import.
 */
export function taskCreate(create: Handler<'tasks.create'>, reader: KosClient): Handler<'tasks.create'> {
  return checkingPreferences(
    autoAssigning(create, async () => valueOrNull(await reader.call('chat.experts.list', {}))?.experts ?? []),
    async () => {
      const listed = await reader.call('models.list', {})
      return listed.ok ? listed.value : refuse(listed.error.code, listed.error.message)
    }
  )
}
