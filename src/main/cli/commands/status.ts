import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import { withConnection } from '../with-connection'

/** `kos status`: version, data dir, whether a host runs, and the last checklist verdict. */
export async function status(ctx: CommandContext): Promise<number> {
  return withConnection(ctx, async (connection) => {
    const info = await callOrExit(ctx, connection.client, 'app.info', {})
    if (!info.ok) return info.exitCode
    const latest = await callOrExit(ctx, connection.client, 'checklist.latest', {})
    if (!latest.ok) return latest.exitCode
    const summary = {
      running: connection.via === 'running-host',
      version: info.value.version,
      dataDir: info.value.dataDir,
      schemaVersion: info.value.schemaVersion,
      checklist: latest.value
        ? { verdict: latest.value.verdict, run: latest.value.id, at: latest.value.finishedAt }
        : null
    }
    if (ctx.args.json) {
      ctx.out(JSON.stringify(summary))
    } else {
      ctx.out(
        `Knowledge OS ${summary.version} — ${summary.running ? `running (pid ${info.value.pid})` : 'not running'}`
      )
      ctx.out(`Data: ${summary.dataDir} (schema ${summary.schemaVersion})`)
      ctx.out(
        summary.checklist
          ? `Checklist: ${summary.checklist.verdict} (run #${summary.checklist.run} at ${summary.checklist.at})`
          : 'Checklist: not run yet (kos checklist run)'
      )
    }
    return 0
  })
}
