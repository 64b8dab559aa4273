import type { AppInfo } from '../../shared/contract/app-schema'
import type { HandlersFor } from '../rpc/handler-types'

export function appHandlers(info: () => AppInfo): HandlersFor<'app'> {
  return {
    'app.info': () => info()
  }
}
