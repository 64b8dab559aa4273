import { RpcFailure, rpcError } from '../../shared/contract/rpc-error'
import type { HandlersFor } from '../rpc/handler-types'
import type { ActionResult, Supervisor } from './supervisor'

export function supervisorHandlers(supervisor: Supervisor): HandlersFor<'supervisor'> {
  const unwrap = (result: ActionResult) => {
    if (!result.ok) throw new RpcFailure(rpcError(result.code, result.message))
    return result.status
  }
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
