import type { ConfigSnapshot, SettingEntry, SettingSource, SettingValue } from '../../shared/contract/config-contract'
import { RpcFailure, rpcError } from '../../shared/contract/rpc-error'
import { formatProblem, resolveConfig, type ConfigInputs, type ResolvedConfig } from './config-resolver'
import { checkValue } from './setting-type'
import { SETTING_KEYS, SETTINGS, isSettingKey, type SettingKey, type SettingValueOf } from './setting-definitions'
import { writeUserSettings } from './user-settings-file'

export interface ConfigService {
  get<K extends SettingKey>(key: K): SettingValueOf<K>
  snapshot(): ConfigSnapshot
  /** Stores a value in the user settings file; throws RpcFailure naming the key and value when it is refused. */
  set(key: string, value: SettingValue): ConfigSnapshot
  reset(key: string): ConfigSnapshot
  onChange(listener: (snapshot: ConfigSnapshot) => void): () => void
}

export interface ConfigServiceOptions {
  readonly inputs: ConfigInputs
  readonly resolved: ResolvedConfig
  readonly dataDir: { readonly path: string; readonly source: SettingSource }
}

export function createConfigService({ inputs: initialInputs, resolved, dataDir }: ConfigServiceOptions): ConfigService {
  let inputs = initialInputs
  let current = resolved
  const listeners = new Set<(snapshot: ConfigSnapshot) => void>()

  const snapshot = (): ConfigSnapshot => ({
    profile: String(current.values.profile),
    profiles: [...inputs.profiles.values()].map(({ name, description }) => ({ name, description })),
    dataDir,
    settingsFile: inputs.userFile,
    settings: SETTING_KEYS.map((key): SettingEntry => {
      const def = SETTINGS[key]
      const userValue = inputs.userValues[key]
      return {
        key,
        category: def.category,
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

  const editableKey = (key: string): SettingKey => {
    if (!isSettingKey(key)) {
      throw new RpcFailure(
        rpcError('invalid_input', `Unknown setting "${key}". Known settings: ${SETTING_KEYS.join(', ')}.`, {
          issues: [{ path: 'key', message: 'unknown setting' }]
        })
      )
    }
    if (!SETTINGS[key].userEditable) {
      throw new RpcFailure(
        rpcError(
          'invalid_input',
          `Setting "${key}" cannot be changed here; set it on the command line or in the environment.`,
          { issues: [{ path: 'key', message: 'not editable' }] }
        )
      )
    }
    return key
  }

  /** Re-resolves with new user values; the file is written only when the result is valid. */
  const apply = (userValues: Record<string, unknown>): ConfigSnapshot => {
    const next = { ...inputs, userValues }
    const resolution = resolveConfig(next)
    if (!resolution.ok) {
      const message = resolution.problems.map(formatProblem).join(' ')
      throw new RpcFailure(
        rpcError('invalid_input', message, {
          issues: resolution.problems.map((p) => ({ path: p.key, message: `expected ${p.expected}` }))
        })
      )
    }
    writeUserSettings(inputs.userFile, userValues)
    inputs = next
    current = resolution.config
    const snap = snapshot()
    for (const listener of listeners) listener(snap)
    return snap
  }

  return {
    get: (key) => current.values[key],
    snapshot,
    set(key, value) {
      const settingKey = editableKey(key)
      const checked = checkValue(SETTINGS[settingKey].type, value)
      if (!checked.ok) {
        throw new RpcFailure(
          rpcError(
            'invalid_input',
            `${settingKey} = ${JSON.stringify(value)} is not valid: expected ${checked.expected}.`,
            { issues: [{ path: 'value', message: `expected ${checked.expected}` }] }
          )
        )
      }
      return apply({ ...inputs.userValues, [settingKey]: checked.value })
    },
    reset(key) {
      const settingKey = editableKey(key)
      const rest = Object.fromEntries(Object.entries(inputs.userValues).filter(([k]) => k !== settingKey))
      return apply(rest)
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
