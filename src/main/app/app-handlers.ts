import type { AppInfo } from '../../shared/contract/app-contract'
import type { HandlersFor } from '../rpc/handler-types'

export function appHandlers(info: () => AppInfo): HandlersFor<'app'> {
  return {
    'app.info': () => info()
  }
}
