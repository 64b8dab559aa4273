import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import { withConnection } from '../with-connection'

/**
 * `kos system resume`: runs the wake-from-sleep path by hand (supervisor
 * check, node rescan, lease grace), as after the machine woke. Useful when
 * the app runs without a screen and a wake went unnoticed.
 */
export async function systemResume(ctx: CommandContext): Promise<number> {
  return withConnection(ctx, async (connection) => {
    if (connection.via !== 'running-host')
      ctx.err(
        'No running app owns this data dir: the resume path ran on a core opened for this command only, with nothing running to recover.'
      )
    const called = await callOrExit(ctx, connection.client, 'system.resume', {})
    if (!called.ok) return called.exitCode
    const report = called.value
    if (ctx.args.json) {
      ctx.out(JSON.stringify(report))
    } else {
      for (const s of report.steps) ctx.out(`${s.ok ? 'ok  ' : 'FAIL'} ${s.step}${s.error ? `: ${s.error}` : ''}`)
    }
    return report.steps.every((s) => s.ok) ? 0 : 1
  })
}
