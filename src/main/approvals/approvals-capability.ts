import type { Db } from '../db/database'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { DecisionLog } from '../ports/decision-log'
import type { Capability } from '../rpc/handler-types'
import { createApprovalQueue, type ApprovalQueue } from './approval-queue'
import { approvalsHandlers } from './approvals-handlers'

export interface ApprovalsCapability extends Capability<'approvals'> {
  /** The port a workflow step or a policy asks through (ports/approvals.ts). */
  readonly queue: ApprovalQueue
}

export function createApprovalsCapability(deps: {
  readonly db: Db
  readonly events: Pick<EventBus, 'emit'>
  readonly log: Logger
  readonly decisions: DecisionLog | null
}): ApprovalsCapability {
  const log = deps.log.child({ capability: 'approvals' })
  const queue = createApprovalQueue({
    db: deps.db,
    decisions: deps.decisions,
    changed: (change) => deps.events.emit('approvals.changed', change),
    onListenerError: (error) => log.error('an approval listener failed', { error })
  })
  return { queue, handlers: approvalsHandlers(queue) }
}
