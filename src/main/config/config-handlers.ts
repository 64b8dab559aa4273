import type { HandlersFor } from '../rpc/handler-types'
import type { ConfigService } from './config-service'
import { SETTINGS, isSettingKey } from './setting-definitions'

export function configHandlers(config: ConfigService): HandlersFor<'config'> {
  return {
    'config.get': () => config.snapshot(),
    'config.set': ({ key, value }, ctx) => {
      const snapshot = config.set(key, value)
      ctx.log.info('setting changed', {
        key,
        value: isSettingKey(key) && SETTINGS[key].secret ? '(secret, not logged)' : value
      })
      return snapshot
    },
    'config.reset': ({ key }, ctx) => {
      const snapshot = config.reset(key)
      ctx.log.info('setting reset', { key })
      return snapshot
    }
  }
}
