import type { CallInput, CallName, CallOutput, EventName, EventPayload } from './contract'
import type { CallResult } from './rpc-error'
import type { ConnectionStatus, KosBridge } from './wire'

export interface KosClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<CallOutput<N>>>
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
  onStatus(listener: (status: ConnectionStatus) => void): () => void
}

/**
 * The typed face of a bridge. Main validates every output against the
 * contract before sending it, so the narrowing here is the single trusted
 * cast on the renderer side.
 */
export function createClient(bridge: KosBridge): KosClient {
  return {
    call: async <N extends CallName>(name: N, input: CallInput<N>) =>
      (await bridge.call(name, input)) as CallResult<CallOutput<N>>,
    on: <E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) =>
      bridge.onEvent((event) => {
        if (event.name === name) listener(event.payload as EventPayload<E>)
      }),
    onStatus: (listener) => bridge.onStatus(listener)
  }
}

/** A call's value, or null when the core refused it (for readers that show a gap rather than an error). */
export function valueOrNull<T>(result: CallResult<T>): T | null {
  return result.ok ? result.value : null
}
