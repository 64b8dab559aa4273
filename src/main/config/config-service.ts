import type { ConfigSnapshot, SettingEntry, SettingSource, SettingValue } from '../../shared/contract/config-contract'
import { storageFailureOf, type StorageFailure } from '../platform/storage-failure'
import { resolveConfig, type ConfigInputs, type ResolvedConfig } from './config-resolver'
import { groupsFor } from './setting-groups'
import { checkValue } from './setting-type'
import { SETTING_KEYS, SETTINGS, isSettingKey, type SettingKey, type SettingValueOf } from './setting-definitions'
import { writeUserSettings } from './user-settings-file'

/** One value refused, in words that name the setting, the value and what to enter instead. */
export interface SettingProblem {
  readonly key: string
  readonly message: string
}

/** What a change of the settings came to: the new snapshot, or why nothing was stored. */
export type ConfigOutcome =
  | { readonly ok: true; readonly snapshot: ConfigSnapshot }
  | { readonly ok: false; readonly reason: 'invalid'; readonly problems: readonly SettingProblem[] }
  /** The settings file could not be written (full or read-only disk); nothing changed. */
  | { readonly ok: false; readonly reason: 'unwritable'; readonly failure: StorageFailure; readonly file: string }

export interface SettingChange {
  readonly key: string
  readonly value: SettingValue
}

export interface ConfigService {
  get<K extends SettingKey>(key: K): SettingValueOf<K>
  snapshot(): ConfigSnapshot
  /** Stores one value in the user settings file, or says why not. */
  set(key: string, value: SettingValue): ConfigOutcome
  /** Stores every value of one Save (a Settings group), or none of them and names each bad one. */
  setMany(changes: readonly SettingChange[]): ConfigOutcome
  reset(key: string): ConfigOutcome
  onChange(listener: (snapshot: ConfigSnapshot) => void): () => void
}

export interface ConfigServiceOptions {
  readonly inputs: ConfigInputs
  readonly resolved: ResolvedConfig
  readonly dataDir: { readonly path: string; readonly source: SettingSource }
  /** How the user settings file is written; tests give a disk that refuses. */
  readonly writeFile?: (file: string, values: Readonly<Record<string, unknown>>) => void
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value))

/** "Attempts per task" (worker.maxAttempts) cannot be 0: enter a whole number from 1 to 10 (attempts); the default is 3. */
export function badValueMessage(key: SettingKey, shownValue: string, expected: string): string {
  const def = SETTINGS[key]
  const fallback = def.default === '' ? '' : `; the default is ${show(def.default)}`
  return `"${def.label}" (${key}) cannot be ${shownValue}: enter ${expected}${fallback}.`
}

export function createConfigService({
  inputs: initialInputs,
  resolved,
  dataDir,
  writeFile = writeUserSettings
}: ConfigServiceOptions): ConfigService {
  let inputs = initialInputs
  let current = resolved
  const listeners = new Set<(snapshot: ConfigSnapshot) => void>()

  const snapshot = (): ConfigSnapshot => ({
    profile: String(current.values.profile),
    profiles: [...inputs.profiles.values()].map(({ name, description }) => ({ name, description })),
    dataDir,
    settingsFile: inputs.userFile,
    groups: groupsFor(SETTING_KEYS.map((key) => SETTINGS[key].category)),
    settings: SETTING_KEYS.map((key): SettingEntry => {
      const def = SETTINGS[key]
      const userValue = inputs.userValues[key]
      return {
        key,
        category: def.category,
        label: def.label,
        description: def.description,
        type: def.type,
        value: current.values[key],
        source: current.sources[key],
        ...(isSettingValue(userValue) ? { userValue } : {}),
        applies: def.applies,
        userEditable: def.userEditable
      }
    })
  })

  /** Why `key` may not be written from here, or null when it may. */
  const notEditable = (key: string): SettingProblem | null => {
    if (!isSettingKey(key)) {
      return {
        key,
        message: `There is no setting "${key}". Pick one the Settings view lists, or see them all with \`kos config show\`.`
      }
    }
    const def = SETTINGS[key]
    if (def.userEditable) return null
    const ways = [def.flag && `the ${def.flag} flag`, def.env[0] && `the ${def.env[0]} environment variable`]
      .filter(Boolean)
      .join(' or ')
    return {
      key,
      message: `"${def.label}" (${key}) cannot be changed here: set it with ${ways || 'the command line'} when the app starts.`
    }
  }

  /** Re-resolves with new user values; the file is written only when the result is valid. */
  const apply = (userValues: Record<string, unknown>): ConfigOutcome => {
    const next = { ...inputs, userValues }
    const resolution = resolveConfig(next)
    if (!resolution.ok) {
      const problems = resolution.problems.map((p) => ({
        key: p.key,
        message: isSettingKey(p.key) ? badValueMessage(p.key, p.value, p.expected) : `${p.key}: ${p.expected}.`
      }))
      return { ok: false, reason: 'invalid', problems }
    }
    try {
      writeFile(inputs.userFile, userValues)
    } catch (error) {
      const failure = storageFailureOf(error)
      if (!failure) throw error
      return { ok: false, reason: 'unwritable', failure, file: inputs.userFile }
    }
    inputs = next
    current = resolution.config
    const snap = snapshot()
    for (const listener of listeners) listener(snap)
    return { ok: true, snapshot: snap }
  }

  const setMany = (changes: readonly SettingChange[]): ConfigOutcome => {
    const problems: SettingProblem[] = []
    const values: Record<string, SettingValue> = {}
    for (const { key, value } of changes) {
      const refused = notEditable(key)
      if (refused) {
        problems.push(refused)
        continue
      }
      const settingKey = key as SettingKey
      const checked = checkValue(SETTINGS[settingKey].type, value)
      if (checked.ok) values[settingKey] = checked.value
      else problems.push({ key, message: badValueMessage(settingKey, show(value), checked.expected) })
    }
    if (problems.length > 0) return { ok: false, reason: 'invalid', problems }
    return apply({ ...inputs.userValues, ...values })
  }

  return {
    get: (key) => current.values[key],
    snapshot,
    set: (key, value) => setMany([{ key, value }]),
    setMany,
    reset(key) {
      const refused = notEditable(key)
      if (refused) return { ok: false, reason: 'invalid', problems: [refused] }
      return apply(Object.fromEntries(Object.entries(inputs.userValues).filter(([k]) => k !== key)))
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}

function isSettingValue(value: unknown): value is SettingValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}
