import type { CallName, CallOutput } from '../../shared/contract/contract'
import type { CallResult } from '../../shared/contract/rpc-error'

/**
 * A call into the core through its own contract, for parts that read the
 * app the way the UI does (metrics, the Overview sampler, the checklist).
 */
export type ReadCall = (name: CallName, input: unknown) => Promise<CallResult<unknown>>

/** The typed value of a read, or null when the core refused it. */
export async function readValue<N extends CallName>(read: ReadCall, name: N, input: unknown = {}): Promise<CallOutput<N> | null> {
  const result = await read(name, input)
  return result.ok ? (result.value as CallOutput<N>) : null
}
