import type { CallName, CallOutput, CallParsedInput } from '../../shared/contract/contract'
import type { CallContext, Handler } from '../rpc/handler-types'
import { RpcFailure } from '../../shared/contract/rpc-error'
import { Refusal } from '../rpc/refusal'

export type AnsweringHandlers<H> = {
  readonly [N in keyof H & CallName]: (input: CallParsedInput<N>, ctx: CallContext) => Promise<CallOutput<N>>
}

/**
 * A capability's handlers for a test that calls them directly: each resolves
 * to the call's output, and a Refusal (what the dispatcher would send as an
 * error) rejects as an RpcFailure carrying that error, as code not yet moved
 * to returning refusals throws it.
 */
export function answering<H extends { readonly [N in CallName]?: Handler<N> }>(handlers: H): AnsweringHandlers<H> {
  const wrapped: Record<string, (input: never, ctx: CallContext) => Promise<unknown>> = {}
  for (const [name, handler] of Object.entries(handlers) as [string, (input: never, ctx: CallContext) => unknown][]) {
    wrapped[name] = async (input, ctx) => {
      const value = await handler(input, ctx)
      if (value instanceof Refusal) throw new RpcFailure(value.error)
      return value
    }
  }
  // The keys and signatures are the handlers' own; only their Refusal branch is taken away.
  return wrapped as unknown as AnsweringHandlers<H>
}
