import { describeSource } from '../../../shared/setting-source'
import { createConfigService } from '../../config/config-service'
import { loadConfig } from '../../config/load-config'
import { resolveDataDir } from '../../platform/data-dir'
import { STARTUP_EXIT_CODE } from '../../app/startup-error'
import type { CommandContext } from '../command-context'

/** `kos config show`: every setting, its value and its source. Reads only; needs no lock. */
export function configShow(ctx: CommandContext): number {
  const dataDir = resolveDataDir(ctx.args.dataDir, ctx.platform)
  const loaded = loadConfig({ dataDir, cli: ctx.args.settings, env: ctx.platform.env })
  if (!loaded.ok) {
    for (const message of loaded.messages) ctx.err(message)
    return STARTUP_EXIT_CODE.config_invalid
  }
  const snapshot = createConfigService({ inputs: loaded.inputs, resolved: loaded.resolved, dataDir }).snapshot()
  if (ctx.args.json) {
    ctx.out(JSON.stringify(snapshot))
    return 0
  }
  const rows = [
    ['dataDir', snapshot.dataDir.path, describeSource(snapshot.dataDir.source)],
    ...snapshot.settings.map((s) => [s.key, String(s.value), describeSource(s.source)])
  ]
  const width = (col: number): number => Math.max(...rows.map((r) => (r[col] ?? '').length))
  const [w0, w1] = [width(0), width(1)]
  ctx.out(`${'SETTING'.padEnd(w0)}  ${'VALUE'.padEnd(w1)}  SOURCE`)
  for (const [key = '', value = '', source = ''] of rows) ctx.out(`${key.padEnd(w0)}  ${value.padEnd(w1)}  ${source}`)
  return 0
}
