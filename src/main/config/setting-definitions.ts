import type { SettingDefinition } from './setting-builders'
import { AUTOPILOT_SETTINGS } from './settings/autopilot-settings'
import { BACKEND_LIMITS_SETTINGS } from './settings/backend-limits-settings'
import { BATCHING_SETTINGS } from './settings/batching-settings'
import { CHAT_SETTINGS } from './settings/chat-settings'
import { CHECKLIST_SETTINGS } from './settings/checklist-settings'
import { DISK_SETTINGS } from './settings/disk-settings'
import { GENERAL_SETTINGS } from './settings/general-settings'
import { HOUSEKEEPING_SETTINGS } from './settings/housekeeping-settings'
import { KNOWLEDGE_SETTINGS } from './settings/knowledge-settings'
import { METRICS_SETTINGS } from './settings/metrics-settings'
import { TELEMETRY_SETTINGS } from './settings/telemetry-settings'
import { MODELS_SETTINGS } from './settings/models-settings'
import { SOAK_SETTINGS } from './settings/soak-settings'
import { NOTIFY_SETTINGS } from './settings/notify-settings'
import { ONBOARDING_SETTINGS } from './settings/onboarding-settings'
import { UPDATES_SETTINGS } from './settings/updates-settings'
import { USAGE_SETTINGS } from './settings/usage-settings'
import { VALIDATION_SETTINGS } from './settings/validation-settings'
import { WORKER_SETTINGS } from './settings/worker-settings'

export { LOG_LEVELS, PROFILE_NAMES } from './settings/general-settings'
export type { SettingDefinition } from './setting-builders'

/** Every setting the app reads, gathered from one file per area under settings/. */
export const SETTINGS = {
  ...GENERAL_SETTINGS,
  ...WORKER_SETTINGS,
  ...MODELS_SETTINGS,
  ...KNOWLEDGE_SETTINGS,
  ...CHAT_SETTINGS,
  ...CHECKLIST_SETTINGS,
  ...HOUSEKEEPING_SETTINGS,
  ...DISK_SETTINGS,
  ...UPDATES_SETTINGS,
  ...AUTOPILOT_SETTINGS,
  ...BACKEND_LIMITS_SETTINGS,
  ...BATCHING_SETTINGS,
  ...SOAK_SETTINGS,
  ...NOTIFY_SETTINGS,
  ...METRICS_SETTINGS,
  ...TELEMETRY_SETTINGS,
  ...VALIDATION_SETTINGS,
  ...ONBOARDING_SETTINGS,
  ...USAGE_SETTINGS
} satisfies Record<string, SettingDefinition>

export type Settings = typeof SETTINGS
export type SettingKey = keyof Settings
export type SettingValueOf<K extends SettingKey> = Settings[K]['default']
export type ResolvedSettings = { readonly [K in SettingKey]: SettingValueOf<K> }

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[]

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key)
}

export function definitionOf(key: SettingKey): SettingDefinition {
  return SETTINGS[key]
}
