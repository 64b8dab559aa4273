import { valueOrNull, type KosClient } from '../../shared/contract/client'
import type { HealthLevel } from '../../shared/contract/models-contract'
import type { OverviewSample } from '../../shared/contract/overview-contract'
import type { TaskStatusCounts } from '../../shared/contract/tasks-contract'
import type { EventBus } from '../events/event-bus'
import type { HandlersFor } from '../rpc/handler-types'

export const SAMPLE_INTERVAL_SEC = 15
const KEEP = (2 * 60 * 60) / SAMPLE_INTERVAL_SEC

/**
 * Samples throughput, queue sizes, latency per backend and health every 15 s
 * into a two-hour ring for the Overview charts, and pushes each sample so the
 * charts move live. Queue sizes and health are the last pushed
 * (`tasks.changed`, `health.changed`); throughput and latency are read at
 * each sample. A part that cannot be read is a gap (null), not a zero.
 */
export function createOverviewSampler(
  client: KosClient,
  events: Pick<EventBus, 'emit'>,
  now: () => Date = () => new Date()
) {
  const samples: OverviewSample[] = []
  let timer: NodeJS.Timeout | null = null
  let counts: TaskStatusCounts | null = null
  let health: HealthLevel | null = null
  const unsubscribe: (() => void)[] = []

  const sample = async (): Promise<OverviewSample> => {
    const [counters, healthRead] = await Promise.all([
      client.call('tasks.counters', {}),
      health === null ? client.call('health.get', {}) : null
    ])
    const read = valueOrNull(counters)
    health ??= healthRead ? (valueOrNull(healthRead)?.level ?? null) : null
    const byStatus = counts ?? read?.byStatus ?? null
    const latencyByBackend: Record<string, number> = {}
    for (const l of read?.latency ?? []) {
      latencyByBackend[l.backend] = Math.max(latencyByBackend[l.backend] ?? 0, l.p50Ms)
    }
    const point: OverviewSample = {
      at: now().toISOString(),
      completionsPerMinute: read?.completionsPerMinute ?? null,
      pending: byStatus?.pending ?? null,
      inProgress: byStatus?.in_progress ?? null,
      deferred: byStatus?.deferred_to_human ?? null,
      health,
      latencyByBackend
    }
    samples.push(point)
    if (samples.length > KEEP) samples.splice(0, samples.length - KEEP)
    events.emit('overview.sample', point)
    return point
  }

  return {
    handlers: {
      'overview.series': () => ({ intervalSec: SAMPLE_INTERVAL_SEC, samples: [...samples] })
    } satisfies HandlersFor<'overview'>,
    sample,
    start() {
      unsubscribe.push(
        client.on('tasks.changed', (changed) => {
          counts = changed.counts
        }),
        client.on('health.changed', (snapshot) => {
          health = snapshot.level
        })
      )
      void sample()
      timer = setInterval(() => void sample(), SAMPLE_INTERVAL_SEC * 1000)
      timer.unref()
    },
    stop() {
      if (timer) clearInterval(timer)
      for (const off of unsubscribe.splice(0)) off()
    }
  }
}
