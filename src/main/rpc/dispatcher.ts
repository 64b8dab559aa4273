import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { CALLS, isCallName, type CallName } from '../../shared/contract/contract'
import type { Scope } from '../../shared/contract/define'
import { RpcFailure, rpcError, type CallResult, type RpcError, type RpcIssue } from '../../shared/contract/rpc-error'
import type { ResultFrame } from '../../shared/contract/wire'
import { CallFrameSchema } from './call-frame'
import type { Logger } from '../log/logger'
import type { CallContext, Handler, Handlers, Transport } from './handler-types'
import { Refusal } from './refusal'

export interface Caller {
  readonly scopes: ReadonlySet<Scope>
  readonly transport: Transport
}

export interface Dispatcher {
  /** Validates and runs one call. Never throws: every failure is a typed error value. */
  call(name: string, input: unknown, caller: Caller): Promise<CallResult<unknown>>
  /** Same, for a frame as it arrived on a transport (shape not yet checked). */
  handleFrame(frame: unknown, caller: Caller): Promise<ResultFrame>
  /** For a transport that could not even decode a frame (not JSON, too large). */
  rejectUndecodable(reason: string, caller: Caller): ResultFrame
}

export function toIssues(error: z.ZodError): RpcIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}

const describeIssues = (issues: readonly RpcIssue[]): string =>
  issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')

/**
 * The one place a payload from a renderer meets the core. Order matters: the
 * call must exist, the caller must hold its scope, the input must match its
 * schema; only then does a handler run. Each refusal is logged exactly once,
 * here, whatever transport carried it.
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatcher {
  const refuse = (error: RpcError, caller: Caller, correlationId: string): CallResult<never> => {
    log.warn('call refused', { correlation_id: correlationId, transport: caller.transport, code: error.code, call: error.call, reason: error.message })
    return { ok: false, error }
  }

  const call = async (name: string, input: unknown, caller: Caller): Promise<CallResult<unknown>> => {
    const correlationId = randomUUID()
    if (!isCallName(name)) {
      return refuse(rpcError('unknown_call', `There is no call named "${name.slice(0, 128)}". Update the app if this client is newer than it.`, { call: name.slice(0, 128) }), caller, correlationId)
    }
    const spec = CALLS[name]
    if (!caller.scopes.has(spec.scope)) {
      return refuse(rpcError('forbidden', `Call "${name}" needs ${spec.scope} access, and this session's token does not grant it. Use a token with ${spec.scope} access.`, { call: name }), caller, correlationId)
    }
    const parsed = spec.input.safeParse(input)
    if (!parsed.success) {
      const issues = toIssues(parsed.error)
      return refuse(rpcError('invalid_input', `Call "${name}" was refused: ${describeIssues(issues)}.`, { call: name, issues }), caller, correlationId)
    }
    const ctx: CallContext = {
      scopes: caller.scopes,
      transport: caller.transport,
      correlationId,
      log: log.child({ correlation_id: correlationId, call: name })
    }
    return runHandler(name, parsed.data, ctx, caller)
  }

  const runHandler = async (name: CallName, input: unknown, ctx: CallContext, caller: Caller): Promise<CallResult<unknown>> => {
    let value: unknown
    try {
      value = await (handlers[name] as Handler<CallName>)(input as never, ctx)
    } catch (error) {
      // Code not yet moved to returning a Refusal still throws RpcFailure; it is refused the same way.
      if (error instanceof RpcFailure) return refuse({ ...error.error, call: name }, caller, ctx.correlationId)
      ctx.log.error('handler failed', { error })
      return { ok: false, error: rpcError('internal', `Call "${name}" failed inside the app: ${(error as Error).message ?? String(error)}. Details are in the log (correlation id ${ctx.correlationId}).`, { call: name }) }
    }
    if (value instanceof Refusal) return refuse({ ...value.error, call: name }, caller, ctx.correlationId)
    const checked = CALLS[name].output.safeParse(value)
    if (!checked.success) {
      ctx.log.error('handler output does not match the contract', { issues: toIssues(checked.error) })
      return { ok: false, error: rpcError('internal', `Call "${name}" produced a reply the contract does not allow. Details are in the log (correlation id ${ctx.correlationId}).`, { call: name }) }
    }
    return { ok: true, value: checked.data }
  }

  return {
    call,
    async handleFrame(frame, caller) {
      const parsed = CallFrameSchema.safeParse(frame)
      if (!parsed.success) {
        const id = idOf(frame)
        const issues = toIssues(parsed.error)
        const result = refuse(rpcError('bad_request', `Malformed call frame: ${describeIssues(issues)}. Expected {type: "call", id, name, input}.`, { issues }), caller, randomUUID())
        return { type: 'result', id, result }
      }
      return { type: 'result', id: parsed.data.id, result: await call(parsed.data.name, parsed.data.input, caller) }
    },
    rejectUndecodable(reason, caller) {
      return { type: 'result', id: null, result: refuse(rpcError('bad_request', `Undecodable frame: ${reason}. Send one JSON object per frame.`), caller, randomUUID()) }
    }
  }
}

/** Echo the caller's id when it is usable, so the client can settle that one call. */
function idOf(frame: unknown): string | number | null {
  if (typeof frame !== 'object' || frame === null) return null
  const id = (frame as { id?: unknown }).id
  return (typeof id === 'string' && id.length > 0 && id.length <= 64) || (typeof id === 'number' && Number.isInteger(id) && id >= 0) ? id : null
}
