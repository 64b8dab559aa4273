import type { ConfigService } from '../../config/config-service'
import { SETTINGS, type SettingKey, type SettingValueOf } from '../../config/setting-definitions'

export type TestConfig = Pick<ConfigService, 'get' | 'onChange'> & {
  set<K extends SettingKey>(key: K, value: SettingValueOf<K>): void
}

/** Settings at their defaults unless overridden, changeable live like the real service. */
export function testConfig(overrides: Partial<{ [K in SettingKey]: SettingValueOf<K> }> = {}): TestConfig {
  const values = new Map<SettingKey, unknown>(Object.entries(overrides) as [SettingKey, unknown][])
  const listeners = new Set<() => void>()
  return {
    get: <K extends SettingKey>(key: K) =>
      (values.has(key) ? values.get(key) : SETTINGS[key].default) as SettingValueOf<K>,
    set(key, value) {
      values.set(key, value)
      for (const l of listeners) l()
    },
    onChange(listener) {
      const wrapped = (): void => listener({} as Parameters<typeof listener>[0])
      listeners.add(wrapped)
      return () => listeners.delete(wrapped)
    }
  }
}
