import type {
  ConfigSnapshot,
  SettingEntry,
  SettingGroup,
  SettingValue
} from '../../../../shared/contract/config-contract'

export interface SettingsGroupView {
  readonly group: SettingGroup
  readonly entries: readonly SettingEntry[]
}

/** The words a setting is found by: its label, key, help, group and choices. */
function haystack(entry: SettingEntry): string {
  const options = entry.type.kind === 'enum' ? entry.type.options.join(' ') : ''
  return `${entry.label} ${entry.key} ${entry.description} ${entry.category} ${options}`.toLowerCase()
}

/**
 * The settings in their groups, in the snapshot's group order, keeping only
 * those that hold every word of `query` (any order, any case); groups left
 * empty by the search are left out.
 */
export function groupedSettings(config: ConfigSnapshot, query: string): SettingsGroupView[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const matches = (entry: SettingEntry): boolean => {
    const text = haystack(entry)
    return words.every((w) => text.includes(w))
  }
  return config.groups
    .map((group) => ({ group, entries: config.settings.filter((e) => e.category === group.name && matches(e)) }))
    .filter((g) => g.entries.length > 0)
}

/** The value the row shows: the draft being edited, else the effective one. */
export function shownValue(entry: SettingEntry, drafts: Readonly<Record<string, SettingValue>>): SettingValue {
  return Object.hasOwn(drafts, entry.key) ? (drafts[entry.key] as SettingValue) : entry.value
}

/** The edits among `entries` that differ from the effective values: what the group's Save sends. */
export function changesIn(
  entries: readonly SettingEntry[],
  drafts: Readonly<Record<string, SettingValue>>
): { key: string; value: SettingValue }[] {
  return entries
    .filter((e) => Object.hasOwn(drafts, e.key) && drafts[e.key] !== e.value)
    .map((e) => ({ key: e.key, value: drafts[e.key] as SettingValue }))
}
