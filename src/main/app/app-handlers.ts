import type { AppInfo } from '../../shared/contract/app-contract'
import type { HandlersFor } from '../rpc/handler-types'
import type { SystemResume } from './system-resume'

export function appHandlers(info: () => AppInfo): HandlersFor<'app'> {
  return {
    'app.info': () => info()
  }
}

export function systemHandlers(resume: SystemResume): HandlersFor<'system'> {
  return {
    'system.resume': () => resume.run('manual')
  }
}
