import type { SettingValue } from '../../../../shared/contract/config-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { defineViewModel, type ViewModelApi } from '../view-model'

/** How one group's Save went: the refusal of the whole (a full disk) and each bad value at its key. */
export interface GroupOutcome {
  readonly saving: boolean
  readonly error: string | null
  /** When the last Save of the group was stored, for the "Saved" note. */
  readonly savedAt: number | null
}

export interface SettingsData {
  readonly query: string
  /** Values typed but not saved, by key. */
  readonly drafts: Readonly<Record<string, SettingValue>>
  /** The core's refusal of a value, by key, until it is edited again. */
  readonly fieldErrors: Readonly<Record<string, string>>
  readonly groups: Readonly<Record<string, GroupOutcome>>
}

export interface SettingsActions {
  search(query: string): void
  edit(key: string, value: SettingValue): void
  /** Drops the group's unsaved edits and their errors. */
  discard(keys: readonly string[]): void
  /** Saves a group's edits in one call: all stored, or none and every bad one named beside its field. */
  save(group: string, changes: readonly { key: string; value: SettingValue }[]): Promise<void>
  /** Removes a value from the settings file, so the profile or the default applies again. */
  reset(group: string, key: string): Promise<void>
}

export type SettingsState = SettingsData & SettingsActions
type Api = ViewModelApi<SettingsState>

const IDLE: GroupOutcome = { saving: false, error: null, savedAt: null }

const without = <T>(record: Readonly<Record<string, T>>, keys: readonly string[]): Record<string, T> =>
  Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)))

const setGroup = (api: Api, group: string, outcome: Partial<GroupOutcome>): void =>
  api.set((s) => ({ groups: { ...s.groups, [group]: { ...(s.groups[group] ?? IDLE), ...outcome } } }))

/** Puts a refusal beside the fields it names; what names no field is the group's error. */
function applyRefusal(api: Api, group: string, keys: readonly string[], error: RpcError): void {
  const byKey = Object.fromEntries(
    (error.issues ?? []).filter((i) => keys.includes(i.path)).map((i) => [i.path, i.message])
  )
  api.set((s) => ({ fieldErrors: { ...without(s.fieldErrors, keys), ...byKey } }))
  setGroup(api, group, { saving: false, error: Object.keys(byKey).length > 0 ? null : error.message })
}

/**
 * The Settings view's editing state: the search, unsaved edits and each
 * group's Save. The settings themselves live in the app model, which every
 * stored change reaches through `config.changed`.
 */
export const settingsModel = defineViewModel<SettingsData, SettingsActions>({
  initialState: () => ({ query: '', drafts: {}, fieldErrors: {}, groups: {} }),
  actions: (api) => ({
    search: (query) => api.set({ query }),
    edit: (key, value) =>
      api.set((s) => ({ drafts: { ...s.drafts, [key]: value }, fieldErrors: without(s.fieldErrors, [key]) })),
    discard: (keys) => api.set((s) => ({ drafts: without(s.drafts, keys), fieldErrors: without(s.fieldErrors, keys) })),
    async save(group, changes) {
      if (changes.length === 0) return
      const keys = changes.map((c) => c.key)
      setGroup(api, group, { saving: true, error: null })
      const result = await api.client.call('config.setMany', { changes: [...changes] })
      if (!result.ok) return applyRefusal(api, group, keys, result.error)
      api.set((s) => ({ drafts: without(s.drafts, keys), fieldErrors: without(s.fieldErrors, keys) }))
      setGroup(api, group, { saving: false, error: null, savedAt: Date.now() })
    },
    async reset(group, key) {
      setGroup(api, group, { saving: true, error: null })
      const result = await api.client.call('config.reset', { key })
      if (!result.ok) return applyRefusal(api, group, [key], result.error)
      api.set((s) => ({ drafts: without(s.drafts, [key]), fieldErrors: without(s.fieldErrors, [key]) }))
      setGroup(api, group, { saving: false, error: null, savedAt: Date.now() })
    }
  }),
  // The settings are the app model's; this model holds only edits, so there is nothing to read.
  reload: async () => undefined
})
