import { createStore } from 'zustand/vanilla'
import type { KosClient } from '../../../../shared/contract/client'
import type { Digest } from '../../../../shared/contract/digest-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import type { ViewStore } from '../../store/use-view-store'

export type DigestBasis = 'last_visit' | 'morning'

export interface DigestState {
  readonly basis: DigestBasis
  readonly digest: Digest | null
  readonly error: RpcError | null
  /** Reads "since you were last here", then records this visit, so the next one starts from now. */
  load(): Promise<void>
  show(basis: DigestBasis): Promise<void>
}

/** The Overview's digest card: what happened since the last visit or since the digest hour. */
export function createDigestStore(client: KosClient): ViewStore<DigestState> {
  const read = async (basis: DigestBasis): Promise<void> => {
    const result = await client.call('digest.get', { since: basis })
    store.setState(result.ok ? { basis, digest: result.value, error: null } : { basis, error: result.error })
  }
  const store = createStore<DigestState>()(() => ({
    basis: 'last_visit',
    digest: null,
    error: null,
    async load() {
      await read('last_visit')
      const seen = await client.call('digest.seen', {})
      if (!seen.ok) store.setState({ error: seen.error })
    },
    show: read
  }))
  // The scheduled digest was just made: show the morning's figures.
  const off = client.on('digest.ready', () => void read('morning'))
  return Object.assign(store, { dispose: off })
}

/** "33%", or "—" when nobody chatted. */
export function share(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`
}
