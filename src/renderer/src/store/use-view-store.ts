import { useEffect, useMemo } from 'react'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import type { KosClient } from '../../../shared/contract/client'
import { useClient } from '../client-context'

export type ViewStore<S> = StoreApi<S> & { dispose(): void }

const load = (state: { load(): Promise<void> }): Promise<void> => state.load()

/**
 * A view's own store: built once from the contract client, told to read when
 * the view opens (its `load()`, unless another reader is given), and disposed
 * (its event subscriptions dropped) when it closes. `create` and `read` must
 * be stable (module-level), so the store is built once.
 */
export function useViewStore<S extends { load(): Promise<void> }>(create: (client: KosClient) => ViewStore<S>): S
export function useViewStore<S>(create: (client: KosClient) => ViewStore<S>, read: (state: S) => Promise<void>): S
export function useViewStore<S>(create: (client: KosClient) => ViewStore<S>, read: (state: S) => Promise<void> = load as (state: S) => Promise<void>): S {
  const client = useClient()
  const store = useMemo(() => create(client), [client, create])
  useEffect(() => {
    void read(store.getState())
    return () => store.dispose()
  }, [store, read])
  return useStore(store)
}
