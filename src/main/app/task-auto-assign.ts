import type { Expert } from '../../shared/contract/chat-contract'
import { bestExpertFor, detectDomain } from '../chat/request-classifier'
import type { Handler } from '../rpc/handler-types'

/**
 * `tasks.create` with `autoAssign`: the lead agent assigns the task as it
 * routes a chat request, to the expert of the task's domain (the one given,
 * else the one its title and description read as), and takes the task
 * itself when no expert has that domain. The task engine below never sees
 * the flag, only the expert chosen, so a task made this way is never left
 * "unassigned". The team is read through the chat's contract call, which
 * the task capability cannot import.
 */
export function autoAssigning(
  create: Handler<'tasks.create'>,
  team: () => Promise<readonly Expert[]>
): Handler<'tasks.create'> {
  return async ({ autoAssign, ...input }, ctx) => {
    if (!autoAssign || input.assigneeExpert) return create(input, ctx)
    const domain = input.domain ?? detectDomain(`${input.title}\n${input.description}`)
    const experts = await team()
    const expert = bestExpertFor(domain, experts) ?? experts.find((e) => e.lead) ?? null
    ctx.log.info('task assigned by the lead agent', { domain, expert: expert?.id ?? null })
    return create(
      {
        ...input,
        domain,
        assigneeExpert: expert?.id ?? null,
        ...(expert ? { metadata: { ...input.metadata, assignedBy: 'lead-agent' } } : {})
      },
      ctx
    )
  }
}
