import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'

export const SettingValueSchema = z.union([z.string(), z.number(), z.boolean()])
export type SettingValue = z.infer<typeof SettingValueSchema>

/** Where an effective value came from, highest precedence first: cli > env > user > profile > default. */
export const SettingSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cli'), flag: z.string() }),
  z.strictObject({ kind: z.literal('env'), name: z.string() }),
  z.strictObject({ kind: z.literal('user'), file: z.string() }),
  z.strictObject({ kind: z.literal('profile'), profile: z.string() }),
  z.strictObject({ kind: z.literal('default') })
])
export type SettingSource = z.infer<typeof SettingSourceSchema>

export const SettingTypeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('integer'), min: z.number(), max: z.number(), unit: z.string().optional() }),
  z.strictObject({ kind: z.literal('number'), min: z.number(), max: z.number() }),
  z.strictObject({ kind: z.literal('boolean') }),
  z.strictObject({ kind: z.literal('enum'), options: z.array(z.string()).min(1) }),
  z.strictObject({ kind: z.literal('url'), optional: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('host') })
])
export type SettingType = z.infer<typeof SettingTypeSchema>

export const SettingEntrySchema = z.strictObject({
  key: z.string(),
  /** The group it is shown in (one of the snapshot's groups). */
  category: z.string(),
  /** Its name for people; the key is the name for files, flags and the CLI. */
  label: z.string(),
  /** Help in plain words: what it does. */
  description: z.string(),
  type: SettingTypeSchema,
  value: SettingValueSchema,
  source: SettingSourceSchema,
  /** What the user settings file holds for this key, whether or not it wins. */
  userValue: SettingValueSchema.optional(),
  /** `restart`: the new value takes effect the next time the app starts. */
  applies: z.enum(['live', 'restart']),
  /** False for settings a profile or the settings file may not set (the profile itself is one). */
  userEditable: z.boolean()
})
export type SettingEntry = z.infer<typeof SettingEntrySchema>

/** A group of the Settings view, one per capability; `essential` ones are what a new user sets first. */
export const SettingGroupSchema = z.strictObject({
  name: z.string(),
  summary: z.string(),
  essential: z.boolean()
})
export type SettingGroup = z.infer<typeof SettingGroupSchema>

export const ConfigSnapshotSchema = z.strictObject({
  profile: z.string(),
  profiles: z.array(z.strictObject({ name: z.string(), description: z.string() })),
  dataDir: z.strictObject({ path: z.string(), source: SettingSourceSchema }),
  settingsFile: z.string(),
  /** Display order of the settings' categories. */
  groups: z.array(SettingGroupSchema),
  settings: z.array(SettingEntrySchema)
})
export type ConfigSnapshot = z.infer<typeof ConfigSnapshotSchema>

export const ConfigSetInputSchema = z.strictObject({ key: z.string().min(1), value: SettingValueSchema })
export const ConfigResetInputSchema = z.strictObject({ key: z.string().min(1) })
/** One Save of a Settings group: every change is checked, and stored only if all are valid. */
export const ConfigSetManyInputSchema = z.strictObject({
  changes: z.array(ConfigSetInputSchema).min(1).max(200)
})

export const CONFIG_CALLS = {
  'config.get': call({
    scope: 'read',
    summary: 'Every setting with its effective value and where that value came from.',
    input: EmptyInputSchema,
    output: ConfigSnapshotSchema
  }),
  'config.set': call({
    scope: 'write',
    summary: 'Store a value in the user settings file and re-resolve.',
    input: ConfigSetInputSchema,
    output: ConfigSnapshotSchema
  }),
  'config.setMany': call({
    scope: 'write',
    summary: 'Store several values at once (one Settings group): all are stored, or none and every bad one is named.',
    input: ConfigSetManyInputSchema,
    output: ConfigSnapshotSchema
  }),
  'config.reset': call({
    scope: 'write',
    summary: 'Remove a value from the user settings file and re-resolve.',
    input: ConfigResetInputSchema,
    output: ConfigSnapshotSchema
  })
} as const

export const CONFIG_EVENTS = {
  'config.changed': ConfigSnapshotSchema
} as const
