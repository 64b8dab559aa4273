import { createClient, type KosClient } from '../../shared/contract/client'
import type { Scope } from '../../shared/contract/define'
import { rpcError, type CallResult } from '../../shared/contract/rpc-error'
import type { EventFrame, KosBridge } from '../../shared/contract/wire'
import type { Caller, Dispatcher } from './dispatcher'
import type { Transport } from './handler-types'

export const READ_SCOPES: ReadonlySet<Scope> = new Set<Scope>(['read'])
export const FULL_SCOPES: ReadonlySet<Scope> = new Set<Scope>(['read', 'write'])

/** Where an in-process client finds the core: its dispatcher (null until the core has finished starting) and its pushed events. */
export interface InProcessCore {
  readonly dispatcher: () => Pick<Dispatcher, 'call'> | null
  readonly events: { subscribe(listener: (frame: EventFrame) => void): () => void }
}

/**
 * The typed client a part of main uses to reach the core (the CLI, the MCP
 * server, the checklist, /metrics, the Overview sampler, the tray): the
 * renderer's `KosClient`, over a transport that hands each call to the
 * dispatcher with this caller's scopes, so it is checked, authorised and
 * logged exactly like a click in a window; events arrive as a window gets them.
 */
export function inProcessClient(
  core: InProcessCore,
  caller: { readonly scopes: ReadonlySet<Scope>; readonly transport?: Transport }
): KosClient {
  const as: Caller = { scopes: caller.scopes, transport: caller.transport ?? 'in-process' }
  const bridge: KosBridge = {
    call(name, input): Promise<CallResult<unknown>> {
      const dispatcher = core.dispatcher()
      if (!dispatcher)
        return Promise.resolve({
          ok: false,
          error: rpcError(
            'unavailable',
            `Call "${name}" came before the core finished starting. Try again in a moment.`,
            { call: name }
          )
        })
      return dispatcher.call(name, input, as)
    },
    onEvent: (listener) => core.events.subscribe(listener),
    // Nothing between the caller and the core can drop: it is connected for as long as the process runs.
    onStatus(listener) {
      listener('connected')
      return () => undefined
    }
  }
  return createClient(bridge)
}
