import type { OverviewSample } from '../../shared/contract/overview-contract'
import type { EventBus } from '../events/event-bus'
import type { HandlersFor } from '../rpc/handler-types'
import { readValue, type ReadCall } from '../rpc/read-call'

export const SAMPLE_INTERVAL_SEC = 15
const KEEP = (2 * 60 * 60) / SAMPLE_INTERVAL_SEC

/**
 * Samples throughput, queue sizes, latency per backend and health every 15 s
 * into a two-hour ring for the Overview charts, and pushes each sample so the
 * charts move live. A part that cannot be read is a gap (null), not a zero.
 */
export function createOverviewSampler(read: ReadCall, events: EventBus, now: () => Date = () => new Date()) {
  const samples: OverviewSample[] = []
  let timer: NodeJS.Timeout | null = null

  const sample = async (): Promise<OverviewSample> => {
    const [counters, health] = await Promise.all([readValue(read, 'tasks.counters'), readValue(read, 'health.get')])
    const latencyByBackend: Record<string, number> = {}
    for (const l of counters?.latency ?? []) {
      latencyByBackend[l.backend] = Math.max(latencyByBackend[l.backend] ?? 0, l.p50Ms)
    }
    const point: OverviewSample = {
      at: now().toISOString(),
      completionsPerMinute: counters?.completionsPerMinute ?? null,
      pending: counters?.byStatus.pending ?? null,
      inProgress: counters?.byStatus.in_progress ?? null,
      deferred: counters?.byStatus.deferred_to_human ?? null,
      health: health?.level ?? null,
      latencyByBackend
    }
    samples.push(point)
    if (samples.length > KEEP) samples.splice(0, samples.length - KEEP)
    events.emit('overview.sample', point)
    return point
  }

  return {
    handlers: { 'overview.series': () => ({ intervalSec: SAMPLE_INTERVAL_SEC, samples: [...samples] }) } satisfies HandlersFor<'overview'>,
    sample,
    start() {
      void sample()
      timer = setInterval(() => void sample(), SAMPLE_INTERVAL_SEC * 1000)
      timer.unref()
    },
    stop() {
      if (timer) clearInterval(timer)
    }
  }
}
