import { digestText } from '../../digest/digest-text'
import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import { withConnection } from '../with-connection'

const EXIT_USAGE = 64

/** `kos digest [morning|last-visit|ISO-TIME] [--json]`: what happened since 08:00, the last visit, or a time. */
export async function digestCommand(ctx: CommandContext): Promise<number> {
  const given = ctx.args.positionals[1] ?? 'morning'
  const since = given === 'last-visit' ? 'last_visit' : given
  if (since !== 'morning' && since !== 'last_visit' && Number.isNaN(Date.parse(since))) {
    ctx.err(
      `"${given}" is not a start for the digest: give morning (since the digest hour, 08:00 by default), last-visit, or an ISO time such as 2026-12-01T08:00:00Z.`
    )
    return EXIT_USAGE
  }
  return withConnection(ctx, async (connection) => {
    const input = {
      since: since === 'morning' || since === 'last_visit' ? since : new Date(Date.parse(since)).toISOString()
    } as const
    const digest = await callOrExit(ctx, connection.client, 'digest.get', input)
    if (!digest.ok) return digest.exitCode
    if (ctx.args.json) {
      ctx.out(JSON.stringify(digest.value))
      return 0
    }
    const text = digestText(digest.value)
    ctx.out(`${text.title} (${digest.value.from} – ${digest.value.to})`)
    for (const line of text.lines) ctx.out(line)
    return 0
  })
}
