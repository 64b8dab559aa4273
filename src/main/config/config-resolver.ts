import { isLoopbackHost } from '../platform/loopback'
import type { SettingSource, SettingValue } from '../../shared/contract/config-contract'
import { describeSource } from '../../shared/setting-source'
import { checkValue, parseText, type Checked } from './setting-type'
import { SETTING_KEYS, SETTINGS, isSettingKey, type ResolvedSettings, type SettingKey } from './setting-definitions'
import type { Profile } from './profiles'

export interface CliSetting {
  readonly flag: string
  readonly raw: string
}

export interface ConfigInputs {
  readonly cli: ReadonlyMap<SettingKey, CliSetting>
  readonly env: NodeJS.ProcessEnv
  readonly userFile: string
  readonly userValues: Readonly<Record<string, unknown>>
  readonly profiles: ReadonlyMap<string, Profile>
}

export interface ConfigProblem {
  readonly key: string
  readonly value: string
  readonly source: SettingSource
  readonly expected: string
}

export interface ResolvedConfig {
  readonly values: ResolvedSettings
  readonly sources: { readonly [K in SettingKey]: SettingSource }
}

export type Resolution =
  | { readonly ok: true; readonly config: ResolvedConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] }

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.key} = ${problem.value} (from ${describeSource(problem.source)}) is not valid: expected ${problem.expected}.`
}

const show = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value))

/**
 * Resolves every setting with precedence CLI flag > environment variable >
 * user settings file > profile > default, recording where each value came
 * from. All problems are collected so one start reports every bad value.
 */
export function resolveConfig(inputs: ConfigInputs): Resolution {
  const problems: ConfigProblem[] = []
  for (const key of Object.keys(inputs.userValues)) {
    if (!isSettingKey(key)) {
      problems.push({
        key,
        value: show(inputs.userValues[key]),
        source: { kind: 'user', file: inputs.userFile },
        expected: 'a known setting name (see `kos config show`)'
      })
    } else if (!SETTINGS[key].userEditable) {
      problems.push({
        key,
        value: show(inputs.userValues[key]),
        source: { kind: 'user', file: inputs.userFile },
        expected: 'no entry: this setting is not read from the settings file'
      })
    }
  }

  const pick = (key: SettingKey, profile: Profile | undefined): { value: SettingValue; source: SettingSource } => {
    const first = offersFor(key, inputs, profile)[0]
    if (!first) return { value: SETTINGS[key].default, source: { kind: 'default' } }
    const { checked, source, shown } = first
    if (checked.ok) return { value: checked.value, source }
    problems.push({ key, value: shown, source, expected: checked.expected })
    return { value: SETTINGS[key].default, source: { kind: 'default' } }
  }

  const profileChoice = pick('profile', undefined)
  const profile = inputs.profiles.get(String(profileChoice.value))
  if (profile) {
    for (const key of Object.keys(profile.settings)) {
      if (!isSettingKey(key) || !SETTINGS[key].inProfiles) {
        problems.push({
          key,
          value: show(profile.settings[key]),
          source: { kind: 'profile', profile: profile.name },
          expected: 'no entry: profiles may not set it'
        })
      }
    }
  }

  const values: Record<string, SettingValue> = {}
  const sources: Record<string, SettingSource> = {}
  for (const key of SETTING_KEYS) {
    const chosen = key === 'profile' ? profileChoice : pick(key, profile)
    values[key] = chosen.value
    sources[key] = chosen.source
  }

  const bind = String(values['host.bind'])
  if (values['host.allowRemote'] !== true && !isLoopbackHost(bind)) {
    problems.push({
      key: 'host.bind',
      value: show(bind),
      source: sources['host.bind'] ?? { kind: 'default' },
      expected: 'a loopback address (127.0.0.1, ::1 or localhost) unless host.allowRemote is true (--allow-remote)'
    })
  }

  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, config: { values: values as ResolvedSettings, sources: sources as ResolvedConfig['sources'] } }
}

/** One source offering a value for a setting (CLI, env, settings file, profile, default). */
interface SettingOffer {
  readonly source: SettingSource
  readonly checked: Checked
  readonly shown: string
}

/** The values offered for one setting, highest precedence first; the first one present decides. */
function offersFor(key: SettingKey, inputs: ConfigInputs, profile: Profile | undefined): SettingOffer[] {
  const def = SETTINGS[key]
  const found: SettingOffer[] = []
  const cli = inputs.cli.get(key)
  if (cli)
    found.push({ source: { kind: 'cli', flag: cli.flag }, checked: parseText(def.type, cli.raw), shown: show(cli.raw) })
  for (const name of def.env) {
    const raw = inputs.env[name]
    if (raw !== undefined && raw !== '') {
      found.push({ source: { kind: 'env', name }, checked: parseText(def.type, raw), shown: show(raw) })
      break
    }
  }
  if (def.userEditable && Object.hasOwn(inputs.userValues, key)) {
    const value = inputs.userValues[key]
    found.push({
      source: { kind: 'user', file: inputs.userFile },
      checked: checkValue(def.type, value),
      shown: show(value)
    })
  }
  if (profile && def.inProfiles && Object.hasOwn(profile.settings, key)) {
    const value = profile.settings[key]
    found.push({
      source: { kind: 'profile', profile: profile.name },
      checked: checkValue(def.type, value),
      shown: show(value)
    })
  }
  return found
}
