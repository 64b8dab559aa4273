import type { OverviewSample } from '../../../../shared/contract/overview-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { defineViewModel } from '../view-model'

/** Two hours at one sample every 15 s. */
export const SAMPLES_KEPT = 480

export interface OverviewData {
  readonly samples: readonly OverviewSample[]
  readonly error: RpcError | null
}

/** The Overview's charts: the sampler's history read once, then each pushed sample appended. */
export const overviewModel = defineViewModel<OverviewData, object>({
  initialState: () => ({ samples: [], error: null }),
  actions: () => ({}),
  events: {
    'overview.sample': (sample, { get, set }) => set({ samples: [...get().samples, sample].slice(-SAMPLES_KEPT) })
  },
  async reload({ client, set }) {
    const result = await client.call('overview.series', {})
    set(result.ok ? { samples: result.value.samples.slice(-SAMPLES_KEPT), error: null } : { error: result.error })
  }
})
