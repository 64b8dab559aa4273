import type { Approval } from '../../../shared/contract/approvals-contract'
import { APPROVALS_PAGE_MAX } from '../../../shared/contract/approvals-contract'
import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import type { CoreConnection } from '../core-connection'
import { withConnection } from '../with-connection'

const EXIT_USAGE = 64

const USAGE = `Usage:
  kos approvals [list] [--json]               what waits for your yes or no, oldest first
  kos approvals approve ID… | --all [--json]  approve the given requests, or every pending one, as one batch
  kos approvals reject ID… | --all [--json]   reject them the same way`

const line = (a: Approval): string =>
  `${a.id}  ${a.status.padEnd(8)}  ${a.title}${a.step ? `  [step ${a.step}]` : ''}  — ${a.reason}`

/** `kos approvals …`: the approval queue from the command line, through the running app when there is one. */
export async function approvalsCommand(ctx: CommandContext): Promise<number> {
  const [, verb = 'list', ...ids] = ctx.args.positionals
  if (verb !== 'list' && verb !== 'approve' && verb !== 'reject') {
    ctx.err(`Unknown approvals command "${verb}".\n${USAGE}`)
    return EXIT_USAGE
  }
  if (verb === 'list' && (ids.length > 0 || ctx.args.all)) {
    ctx.err(`kos approvals list takes no ids.\n${USAGE}`)
    return EXIT_USAGE
  }
  if (verb !== 'list' && (ids.length === 0) === !ctx.args.all) {
    ctx.err(`kos approvals ${verb} needs the ids of the requests, or --all (not both).\n${USAGE}`)
    return EXIT_USAGE
  }
  return withConnection(ctx, (connection) =>
    verb === 'list' ? list(ctx, connection) : decide(ctx, connection, verb, ids)
  )
}

async function list(ctx: CommandContext, connection: CoreConnection): Promise<number> {
  const result = await callOrExit(ctx, connection.client, 'approvals.list', { limit: APPROVALS_PAGE_MAX })
  if (!result.ok) return result.exitCode
  if (ctx.args.json) {
    ctx.out(JSON.stringify(result.value))
    return 0
  }
  const { approvals, pending } = result.value
  if (pending === 0) ctx.out('Nothing waits for approval.')
  for (const a of approvals) ctx.out(line(a))
  if (pending > approvals.length) ctx.out(`… ${pending - approvals.length} more`)
  return 0
}

async function decide(
  ctx: CommandContext,
  connection: CoreConnection,
  verb: 'approve' | 'reject',
  ids: readonly string[]
): Promise<number> {
  const result = await callOrExit(
    ctx,
    connection.client,
    'approvals.decide',
    ctx.args.all ? { verdict: verb, all: true } : { verdict: verb, ids: [...ids] }
  )
  if (!result.ok) return result.exitCode
  if (ctx.args.json) {
    ctx.out(JSON.stringify(result.value))
    return 0
  }
  const { decided, skipped, pending } = result.value
  ctx.out(`${verb === 'approve' ? 'Approved' : 'Rejected'} ${decided.length} request(s); ${pending} still wait.`)
  for (const s of skipped)
    ctx.out(
      s.reason === 'not_found'
        ? `  ${s.id}: no such request (see kos approvals list)`
        : `  ${s.id}: already ${s.status ?? 'decided'}, left as it was`
    )
  return skipped.some((s) => s.reason === 'not_found') && decided.length === 0 ? 66 : 0
}
