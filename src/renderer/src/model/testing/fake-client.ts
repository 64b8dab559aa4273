import type { KosClient } from '../../../../shared/contract/client'
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../../../shared/contract/contract'
import { rpcError, type CallResult } from '../../../../shared/contract/rpc-error'
import type { ConnectionStatus } from '../../../../shared/contract/wire'

export type Replies = {
  [N in CallName]?: (input: CallInput<N>) => CallResult<CallOutput<N>> | Promise<CallResult<CallOutput<N>>>
}

/**
 * A contract client with scripted replies, for view-model tests: it records
 * every call, lets a test push events and change the connection status, and
 * counts live subscriptions so a test can see that disposal dropped them.
 */
export function fakeClient(replies: Replies, initialStatus: ConnectionStatus = 'connected') {
  const calls: { name: CallName; input: unknown }[] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  let status = initialStatus
  const client: KosClient = {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<CallOutput<N>>> {
      calls.push({ name, input })
      const reply = replies[name] as
        ((input: CallInput<N>) => CallResult<CallOutput<N>> | Promise<CallResult<CallOutput<N>>>) | undefined
      return reply ? reply(input) : { ok: false, error: rpcError('unavailable', `no reply scripted for ${name}`) }
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(name) ?? new Set()
      const untyped = listener as (payload: unknown) => void
      set.add(untyped)
      listeners.set(name, set)
      return () => void set.delete(untyped)
    },
    onStatus(listener) {
      statusListeners.add(listener)
      listener(status)
      return () => void statusListeners.delete(listener)
    }
  }
  return {
    client,
    calls,
    /** The names of the calls made so far, in order. */
    names: (): CallName[] => calls.map((c) => c.name),
    emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
      for (const listener of listeners.get(name) ?? []) listener(payload)
    },
    setStatus(next: ConnectionStatus): void {
      status = next
      for (const listener of statusListeners) listener(next)
    },
    /** Event and status subscriptions still held. */
    listening: (): number => [...listeners.values()].reduce((n, s) => n + s.size, 0) + statusListeners.size
  }
}

/** Lets every settled promise's continuation run (several hops of awaits). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}
