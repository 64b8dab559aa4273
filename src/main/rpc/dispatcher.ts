import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { CALLS, isCallName, type CallName } from '../../shared/contract/contract'
import type { Scope } from '../../shared/contract/define'
import { MAX_INPUT_DEPTH, callMaxBytes, preview, tooLarge } from '../../shared/contract/limits'
import { RpcFailure, rpcError, type CallResult, type RpcError, type RpcIssue } from '../../shared/contract/rpc-error'
import type { ResultFrame } from '../../shared/contract/wire'
import { CallFrameSchema } from './call-frame'
import type { Logger } from '../log/logger'
import type { CallContext, Handler, Handlers, Transport } from './handler-types'
import { guardInput } from './input-guard'
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
  /** For a call a transport refused at its edge (too large, rate limited, overloaded): logged like every refusal. */
  reject(error: RpcError, caller: Caller, id: string | number | null): ResultFrame
}

export function toIssues(error: z.ZodError): RpcIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}

const describeIssues = (issues: readonly RpcIssue[]): string =>
  issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')

/** Refusals can quote what was sent (a 5 MB settings value): keep messages short, in the reply and the log. */
const MAX_MESSAGE_CHARS = 1000
const shorten = (error: RpcError): RpcError => {
  const issues = error.issues ?? []
  const long =
    error.message.length > MAX_MESSAGE_CHARS ||
    issues.length > 20 ||
    issues.some((i) => i.message.length > MAX_MESSAGE_CHARS || i.path.length > MAX_MESSAGE_CHARS)
  if (!long) return error
  return {
    ...error,
    message: preview(error.message, MAX_MESSAGE_CHARS),
    ...(error.issues
      ? {
          issues: error.issues
            .slice(0, 20)
            .map((i) => ({ path: preview(i.path, 200), message: preview(i.message, 300) }))
        }
      : {})
  }
}

const FLOOD_CODES: ReadonlySet<string> = new Set(['rate_limited', 'unavailable', 'too_large'])

/**
 * The one place a payload from a renderer meets the core. Order matters: the
 * call must exist, the caller must hold its scope, the input must pass the
 * size, depth and key guard, then match its schema; only then does a handler run. Each refusal is logged exactly once,
 * here, whatever transport carried it.
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatcher {
  // Refusals a flood produces by the thousand are logged at most once a second, with a count of those left out.
  const flood = { loggedAt: 0, skipped: 0 }
  const refuse = (refused: RpcError, caller: Caller, correlationId: string): CallResult<never> => {
    const error = shorten(refused)
    let skipped = {}
    if (FLOOD_CODES.has(error.code)) {
      const now = Date.now()
      if (now - flood.loggedAt < 1000) {
        flood.skipped++
        return { ok: false, error }
      }
      if (flood.skipped > 0) skipped = { similar_refusals_not_logged: flood.skipped }
      flood.loggedAt = now
      flood.skipped = 0
    }
    log.warn('call refused', {
      correlation_id: correlationId,
      transport: caller.transport,
      code: error.code,
      call: error.call,
      reason: error.message,
      ...skipped
    })
    return { ok: false, error }
  }

  const call = async (name: string, input: unknown, caller: Caller): Promise<CallResult<unknown>> => {
    const correlationId = randomUUID()
    if (!isCallName(name)) {
      return refuse(
        rpcError(
          'unknown_call',
          `There is no call named "${name.slice(0, 128)}". Update the app if this client is newer than it.`,
          { call: name.slice(0, 128) }
        ),
        caller,
        correlationId
      )
    }
    const spec = CALLS[name]
    if (!caller.scopes.has(spec.scope)) {
      return refuse(
        rpcError(
          'forbidden',
          `This session is read-only: "${name}" needs ${spec.scope} access. Open the full-access URL \`kos serve\` printed (not the read-only one), or use the full-access token.`,
          { call: name }
        ),
        caller,
        correlationId
      )
    }
    const guard = guardInput(input, callMaxBytes(name))
    if (!guard.ok) {
      const error =
        guard.kind === 'size'
          ? tooLarge(name, guard.bytes)
          : guard.kind === 'depth'
            ? rpcError(
                'invalid_input',
                `Call "${name}" was refused: its input is nested more than ${MAX_INPUT_DEPTH} levels deep (at ${guard.path || 'the top'}). Flatten it.`,
                {
                  call: name,
                  issues: [{ path: guard.path, message: `nested more than ${MAX_INPUT_DEPTH} levels deep` }]
                }
              )
            : rpcError(
                'invalid_input',
                `Call "${name}" was refused: the key "__proto__" (at ${guard.path}) is not allowed. Rename it.`,
                { call: name, issues: [{ path: guard.path, message: 'the key "__proto__" is not allowed' }] }
              )
      return refuse(error, caller, correlationId)
    }
    const parsed = spec.input.safeParse(input)
    if (!parsed.success) {
      const issues = toIssues(parsed.error)
      return refuse(
        rpcError('invalid_input', `Call "${name}" was refused: ${describeIssues(issues)}.`, { call: name, issues }),
        caller,
        correlationId
      )
    }
    const ctx: CallContext = {
      scopes: caller.scopes,
      transport: caller.transport,
      correlationId,
      log: log.child({ correlation_id: correlationId, call: name })
    }
    return runHandler(name, parsed.data, ctx, caller)
  }

  const runHandler = async (
    name: CallName,
    input: unknown,
    ctx: CallContext,
    caller: Caller
  ): Promise<CallResult<unknown>> => {
    let value: unknown
    try {
      value = await (handlers[name] as Handler<CallName>)(input as never, ctx)
    } catch (error) {
      // Code not yet moved to returning a Refusal still throws RpcFailure; it is refused the same way.
      if (error instanceof RpcFailure) return refuse({ ...error.error, call: name }, caller, ctx.correlationId)
      ctx.log.error('handler failed', { error })
      return {
        ok: false,
        error: rpcError(
          'internal',
          `Call "${name}" failed inside the app: ${preview((error as Error).message ?? String(error), 300)}. Details are in the log (correlation id ${ctx.correlationId}).`,
          { call: name }
        )
      }
    }
    if (value instanceof Refusal) return refuse({ ...value.error, call: name }, caller, ctx.correlationId)
    const checked = CALLS[name].output.safeParse(value)
    if (!checked.success) {
      ctx.log.error('handler output does not match the contract', { issues: toIssues(checked.error) })
      return {
        ok: false,
        error: rpcError(
          'internal',
          `Call "${name}" produced a reply the contract does not allow. Details are in the log (correlation id ${ctx.correlationId}).`,
          { call: name }
        )
      }
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
        const result = refuse(
          rpcError(
            'bad_request',
            `Malformed call frame: ${describeIssues(issues)}. Expected {type: "call", id, name, input}.`,
            { issues }
          ),
          caller,
          randomUUID()
        )
        return { type: 'result', id, result }
      }
      return { type: 'result', id: parsed.data.id, result: await call(parsed.data.name, parsed.data.input, caller) }
    },
    rejectUndecodable(reason, caller) {
      return {
        type: 'result',
        id: null,
        result: refuse(
          rpcError('bad_request', `Undecodable frame: ${reason}. Send one JSON object per frame.`),
          caller,
          randomUUID()
        )
      }
    },
    reject(error, caller, id) {
      return { type: 'result', id, result: refuse(error, caller, randomUUID()) }
    }
  }
}

/** Echo the caller's id when it is usable, so the client can settle that one call. */
export function idOf(frame: unknown): string | number | null {
  if (typeof frame !== 'object' || frame === null) return null
  const id = (frame as { id?: unknown }).id
  return (typeof id === 'string' && id.length > 0 && id.length <= 64) ||
    (typeof id === 'number' && Number.isInteger(id) && id >= 0)
    ? id
    : null
}
