import { STARTUP_EXIT_CODE } from '../../app/startup-error'
import { startCore } from '../../app/start-core'
import { startHeadlessHost } from '../../hosts/headless/headless-host'
import { createCoreMetrics } from '../../metrics/core-metrics'
import { READ_SCOPES } from '../../rpc/in-process-client'
import type { CommandContext } from '../command-context'

export const EXIT_HOST_FAILED = 69

/** `kos serve`: the core plus the headless host, until SIGINT or SIGTERM. */
export async function serve(ctx: CommandContext): Promise<number> {
  const started = startCore({
    hostKind: 'headless',
    ...(ctx.args.dataDir ? { dataDirFlag: ctx.args.dataDir } : {}),
    cliSettings: ctx.args.settings,
    platform: ctx.platform,
    appVersion: ctx.appVersion
  })
  if (!started.ok) {
    ctx.err(started.error.message)
    return STARTUP_EXIT_CODE[started.error.kind]
  }
  const { core } = started
  const metrics = createCoreMetrics(core.client({ scopes: READ_SCOPES, transport: 'http' }), ctx.appVersion, {
    legacyNames: () => core.config.get('metrics.legacyNames')
  })
  const hosting = await startHeadlessHost({
    dispatcher: core.dispatcher,
    events: core.events,
    log: core.log,
    rendererDir: ctx.rendererDir,
    bind: core.config.get('host.bind'),
    port: core.config.get('host.port'),
    portFallback: core.config.snapshot().settings.find((s) => s.key === 'host.port')?.source.kind === 'default',
    allowRemote: core.config.get('host.allowRemote'),
    gate: {
      fullPerSecond: core.config.get('host.rateLimit.fullPerSecond'),
      readOnlyPerSecond: core.config.get('host.rateLimit.readOnlyPerSecond'),
      workPerMinute: core.config.get('host.rateLimit.workPerMinute'),
      maxEventLoopLagMs: core.config.get('host.shed.maxEventLoopLagMs'),
      maxPendingCalls: core.config.get('host.shed.maxPendingCalls')
    },
    metrics: { ...metrics, access: core.config.get('metrics.access') }
  })
  if (!hosting.ok) {
    ctx.err(hosting.message)
    await core.close()
    return EXIT_HOST_FAILED
  }
  const { host } = hosting
  core.announce(host.origin, host.access.fullToken)
  const info = core.info()
  if (ctx.args.json) {
    ctx.out(
      JSON.stringify({
        url: host.url,
        readOnlyUrl: host.readOnlyUrl,
        origin: host.origin,
        dataDir: info.dataDir,
        logFile: info.logFile
      })
    )
  } else {
    ctx.out(`Knowledge OS Control Center is running headless. Open: ${host.url}`)
    ctx.out(`Read-only access: ${host.readOnlyUrl}`)
    ctx.out(`Data: ${info.dataDir}  Log: ${info.logFile}  (Ctrl+C stops)`)
  }

  await ctx.untilStopped()
  await host.close()
  await core.close()
  return 0
}
