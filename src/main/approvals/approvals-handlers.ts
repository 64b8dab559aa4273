import type { CallContext, HandlersFor } from '../rpc/handler-types'
import { refuse } from '../rpc/refusal'
import type { ApprovalQueue } from './approval-queue'

/** Who decided, as the decision log and the queue show it: always a person, and where they clicked. */
export function deciderOf(ctx: Pick<CallContext, 'transport'>): string {
  switch (ctx.transport) {
    case 'ipc':
      return 'person (app)'
    case 'ws':
    case 'http':
      return 'person (browser or kos)'
    case 'cli':
      return 'person (kos)'
    case 'in-process':
      return 'person (tray)'
  }
}

export function approvalsHandlers(queue: ApprovalQueue): HandlersFor<'approvals'> {
  return {
    'approvals.list': ({ show, limit }) => queue.list(show, limit),
    'approvals.decide': ({ verdict, ids, all, note }, ctx) => {
      if (all !== true && ids === undefined)
        return refuse('invalid_input', 'Give either "ids" (the requests to decide) or "all": true.')
      const outcome = queue.decide(all === true ? 'all' : (ids ?? []), verdict, deciderOf(ctx), note || null)
      ctx.log.info('approvals decided', {
        verdict,
        decided: outcome.decided.length,
        skipped: outcome.skipped.length,
        pending: outcome.pending
      })
      return outcome
    }
  }
}
