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

/** Two samples make a line; before that a chart says it is collecting. */
export const MIN_SAMPLES_FOR_LINE = 2

/**
 * What a chart can honestly draw: `collecting` before it has two samples,
 * `empty` when every value read is zero or missing (nothing happened: a flat
 * line on 0 says less than words), `data` otherwise.
 */
export type ChartState = 'collecting' | 'empty' | 'data'

export function chartState(samples: number, series: readonly (readonly (number | null)[])[]): ChartState {
  if (samples < MIN_SAMPLES_FOR_LINE) return 'collecting'
  return series.some((values) => values.some((v) => v !== null && v !== 0)) ? 'data' : 'empty'
}

export type HealthLevel = 'ok' | 'degraded' | 'down' | 'unknown'

/** Each health level's share of the samples, for the strip's legend; levels never seen are left out. */
export function healthShares(
  samples: readonly Pick<OverviewSample, 'health'>[]
): { level: HealthLevel; share: number }[] {
  if (samples.length === 0) return []
  const counts = new Map<HealthLevel, number>()
  for (const s of samples) counts.set(s.health ?? 'unknown', (counts.get(s.health ?? 'unknown') ?? 0) + 1)
  return (['ok', 'degraded', 'down', 'unknown'] as const)
    .filter((level) => counts.has(level))
    .map((level) => ({ level, share: (counts.get(level) ?? 0) / samples.length }))
}
