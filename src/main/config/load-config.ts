import type { SettingSource } from '../../shared/contract/config-contract'
import {
  formatProblem,
  resolveConfig,
  type CliSetting,
  type ConfigInputs,
  type ResolvedConfig
} from './config-resolver'
import { builtInProfiles } from './profiles'
import type { SettingKey } from './setting-definitions'
import { readUserSettings, userSettingsPath } from './user-settings-file'

export type ConfigLoad =
  | { readonly ok: true; readonly inputs: ConfigInputs; readonly resolved: ResolvedConfig }
  | { readonly ok: false; readonly messages: readonly string[] }

/** Gathers every source of settings for a data dir and resolves them once, at start. */
export function loadConfig(options: {
  readonly dataDir: { readonly path: string; readonly source: SettingSource }
  readonly cli: ReadonlyMap<SettingKey, CliSetting>
  readonly env: NodeJS.ProcessEnv
}): ConfigLoad {
  const userFile = userSettingsPath(options.dataDir.path)
  const user = readUserSettings(userFile)
  if (!user.ok) {
    return {
      ok: false,
      messages: [`The settings file ${userFile} ${user.reason}. Fix it, or move it away to start from defaults.`]
    }
  }
  const inputs: ConfigInputs = {
    cli: options.cli,
    env: options.env,
    userFile,
    userValues: user.values,
    profiles: builtInProfiles()
  }
  const resolution = resolveConfig(inputs)
  if (!resolution.ok) return { ok: false, messages: resolution.problems.map(formatProblem) }
  return { ok: true, inputs, resolved: resolution.config }
}
