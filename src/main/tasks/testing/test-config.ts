import type { ConfigService } from '../../config/config-service'
import { SETTINGS, type ResolvedSettings, type SettingKey } from '../../config/setting-definitions'

/** Settings as the defaults give them, with per-test values (which may be finer than the Settings view allows). */
export function testConfig(
  overrides: Partial<Record<SettingKey, number | string | boolean>> = {}
): Pick<ConfigService, 'get'> & { set(key: SettingKey, value: number): void } {
  const values = new Map<SettingKey, unknown>(Object.entries(SETTINGS).map(([k, d]) => [k as SettingKey, d.default]))
  for (const [k, v] of Object.entries(overrides)) values.set(k as SettingKey, v)
  return {
    get: <K extends SettingKey>(key: K) => values.get(key) as ResolvedSettings[K],
    set: (key, value) => values.set(key, value)
  }
}
