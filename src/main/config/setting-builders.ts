import type { SettingType, SettingValue } from '../../shared/contract/config-contract'

export interface SettingDefinition<V extends SettingValue = SettingValue> {
  /** The Settings view's group (setting-groups.ts orders them); one per capability. */
  readonly category: string
  /** What people read as the setting's name; the key is shown small beside it. */
  readonly label: string
  /** The help under the label: what it does, in plain words. */
  readonly description: string
  readonly type: SettingType
  readonly default: V
  /** Environment variables read for this setting, first found wins. */
  readonly env: readonly string[]
  readonly flag?: string
  readonly applies: 'live' | 'restart'
  /** Whether a profile file may set it (never the profile choice itself). */
  readonly inProfiles: boolean
  /** Whether the Settings view and the user settings file may set it. */
  readonly userEditable: boolean
  /** Holds a credential (a Slack webhook URL): never written to the log. */
  readonly secret?: boolean
}

export type Common = Omit<SettingDefinition, 'type' | 'default' | 'inProfiles' | 'userEditable'> &
  Partial<Pick<SettingDefinition, 'inProfiles' | 'userEditable'>>

const editable = { inProfiles: true, userEditable: true }

export function integer(
  min: number,
  max: number,
  unit: string | undefined,
  def: number,
  rest: Common
): SettingDefinition<number> {
  return {
    ...editable,
    ...rest,
    type: unit ? { kind: 'integer', min, max, unit } : { kind: 'integer', min, max },
    default: def
  }
}

export function choice<const O extends string>(options: readonly O[], def: O, rest: Common): SettingDefinition<O> {
  return { ...editable, ...rest, type: { kind: 'enum', options: [...options] }, default: def }
}

export function flagOf(def: boolean, rest: Common): SettingDefinition<boolean> {
  return { ...editable, ...rest, type: { kind: 'boolean' }, default: def }
}

export function host(def: string, rest: Common): SettingDefinition<string> {
  return { ...editable, ...rest, type: { kind: 'host' }, default: def }
}

export function url(def: string, rest: Common): SettingDefinition<string> {
  return { ...editable, ...rest, type: { kind: 'url' }, default: def }
}

/** A URL the user may leave empty, where there is no sensible default to invent. */
export function optionalUrl(rest: Common): SettingDefinition<string> {
  return { ...editable, ...rest, type: { kind: 'url', optional: true }, default: '' }
}

export function decimal(min: number, max: number, def: number, rest: Common): SettingDefinition<number> {
  return { ...editable, ...rest, type: { kind: 'number', min, max }, default: def }
}
