import type { HandlersFor } from '../rpc/handler-types'
import type { ActionResult, Supervisor } from './supervisor'
import { refuse } from '../rpc/refusal'

export function supervisorHandlers(supervisor: Supervisor): HandlersFor<'supervisor'> {
  const unwrap = (result: ActionResult) => (result.ok ? result.status : refuse(result.code, result.message))
  return {
    'supervisor.list': () => supervisor.statuses(),
    'supervisor.start': async ({ id }, ctx) => {
      ctx.log.info('supervised process start requested', { process: id })
      return unwrap(await supervisor.startProcess(id))
    },
    'supervisor.stop': async ({ id }, ctx) => {
      ctx.log.info('supervised process stop requested', { process: id })
      return unwrap(await supervisor.stopProcess(id))
    },
    'supervisor.restart': async ({ id }, ctx) => {
      ctx.log.info('supervised process restart requested', { process: id })
      return unwrap(await supervisor.restartProcess(id))
    }
  }
}
