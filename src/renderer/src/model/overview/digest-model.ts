import type { Digest } from '../../../../shared/contract/digest-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { defineViewModel, type ViewModelApi } from '../view-model'

export type DigestBasis = 'last_visit' | 'morning'

export interface DigestData {
  readonly basis: DigestBasis
  readonly digest: Digest | null
  readonly error: RpcError | null
}

export interface DigestActions {
  show(basis: DigestBasis): Promise<void>
}

interface DigestLocal {
  /** Whether this opening of the Overview was recorded as a visit yet. */
  seen: boolean
}

type Api = ViewModelApi<DigestData & DigestActions, DigestLocal>

const read = async ({ client, set }: Api, basis: DigestBasis): Promise<void> => {
  const result = await client.call('digest.get', { since: basis })
  set(result.ok ? { basis, digest: result.value, error: null } : { basis, error: result.error })
}

/** The Overview's digest: what happened since the last visit (then this visit is recorded) or since the digest hour. */
export const digestModel = defineViewModel<DigestData, DigestActions, undefined, DigestLocal>({
  initialState: () => ({ basis: 'last_visit', digest: null, error: null }),
  local: () => ({ seen: false }),
  actions: (api) => ({ show: (basis) => read(api, basis) }),
  // The scheduled digest was just made: show the morning's figures.
  events: { 'digest.ready': (_payload, api) => void read(api, 'morning') },
  async reload(api) {
    await read(api, api.get().basis)
    if (api.local.seen) return
    api.local.seen = true
    const seen = await api.client.call('digest.seen', {})
    if (!seen.ok) api.set({ error: seen.error })
  }
})

/** "33%", or "—" when nobody chatted. */
export function share(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`
}
