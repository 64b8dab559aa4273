import type { ReactNode } from 'react'
import { ViewHeader } from '../../components/ViewHeader'
import { overviewModel } from '../../model/overview/overview-model'
import { useSelect, useViewModel } from '../../model/use-view-model'
import { DigestCard } from './DigestCard'
import { LineChart } from './LineChart'
import './overview.css'

const PALETTE = ['#3b6ef5', '#1f9d55', '#c98a04', '#d14343', '#8b5cf6', '#0ea5e9']
const HEALTH_CLASS = { ok: 'h-ok', degraded: 'h-degraded', down: 'h-down' } as const

export function OverviewView(): ReactNode {
  const model = useViewModel(overviewModel, undefined)
  const samples = useSelect(model, (s) => s.samples)
  const error = useSelect(model, (s) => s.error)
  const times = samples.map((x) => x.at)
  const backends = [...new Set(samples.flatMap((x) => Object.keys(x.latencyByBackend)))]
  return (
    <>
      <ViewHeader title="Overview" subtitle="Throughput, queues, latency and health of the last two hours, live." />
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <DigestCard />
      <div className="overview-grid">
        <LineChart
          title="Throughput"
          unit="tasks/min"
          times={times}
          series={[{ label: 'completed', color: PALETTE[1] ?? '', values: samples.map((s) => s.completionsPerMinute) }]}
        />
        <LineChart
          title="Queues"
          unit="tasks"
          times={times}
          series={[
            { label: 'pending', color: PALETTE[0] ?? '', values: samples.map((s) => s.pending) },
            { label: 'in progress', color: PALETTE[2] ?? '', values: samples.map((s) => s.inProgress) },
            { label: 'manual review', color: PALETTE[3] ?? '', values: samples.map((s) => s.deferred) }
          ]}
        />
        <LineChart
          title="Latency per backend (median)"
          unit="ms"
          times={times}
          series={backends.map((b, i) => ({
            label: b,
            color: PALETTE[i % PALETTE.length] ?? '',
            values: samples.map((s) => s.latencyByBackend[b] ?? null)
          }))}
        />
        <figure className="chart" aria-label="Health over time">
          <figcaption>
            <strong>Health</strong>
            <span className="legend">now: {samples.at(-1)?.health ?? '—'}</span>
          </figcaption>
          <div className="health-strip" role="img" aria-label={`Health over ${samples.length} samples`}>
            {samples.map((s) => (
              <span
                key={s.at}
                className={s.health ? HEALTH_CLASS[s.health] : 'h-unknown'}
                title={`${new Date(s.at).toLocaleTimeString()}: ${s.health ?? 'unknown'}`}
              />
            ))}
          </div>
          {samples.length === 0 && <p className="muted chart-note">Collecting samples: a point every 15 seconds.</p>}
        </figure>
      </div>
    </>
  )
}
