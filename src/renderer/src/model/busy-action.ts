import type { CallResult, RpcError } from '../../../shared/contract/rpc-error'

/** A model whose buttons say which action is in flight, and which keeps the last refusal to show. */
export interface BusyState<B> {
  readonly busy: B | null
  readonly error: RpcError | null
}

/**
 * Runs one call as a button's action: marks it busy, clears the last
 * refusal, then applies the value or keeps the refusal. Resolves true when
 * the call was answered, so a form can clear itself.
 */
export function busyAction<D extends BusyState<B>, B>(set: (patch: Partial<D>) => void) {
  return async function act<T>(
    busy: B,
    run: () => Promise<CallResult<T>>,
    apply: (value: T) => Partial<D>
  ): Promise<boolean> {
    set({ busy, error: null } as Partial<D>)
    const result = await run()
    set({ ...(result.ok ? apply(result.value) : { error: result.error }), busy: null } as Partial<D>)
    return result.ok
  }
}
