import { startCore, type Core } from '../app/start-core'
import type { CliSetting } from '../config/config-resolver'
import type { SettingKey } from '../config/setting-definitions'
import { OFFLINE_ENV } from './offline-env'

/** A real core on a temporary data dir, as the hosts start it. */
export function startTestCore(
  dataDir: string,
  options: { env?: NodeJS.ProcessEnv; cli?: ReadonlyMap<SettingKey, CliSetting> } = {}
): Core {
  const started = startCore({
    hostKind: 'headless',
    dataDirFlag: dataDir,
    cliSettings: options.cli ?? new Map(),
    platform: { platform: process.platform, env: { ...OFFLINE_ENV, ...options.env }, home: dataDir },
    appVersion: '0.0.0-test'
  })
  if (!started.ok) throw new Error(started.error.message)
  return started.core
}
