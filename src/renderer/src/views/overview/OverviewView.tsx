import type { ReactNode } from 'react'
import { ViewHeader } from '../../components/ViewHeader'
import { overviewModel } from '../../model/overview/overview-model'
import { useNodeName, useSelect, useViewModel } from '../../model/use-view-model'
import { DigestCard } from './DigestCard'
import { HealthStrip } from './HealthStrip'
import { LineChart } from './LineChart'
import './overview.css'

const PALETTE = ['#3b6ef5', '#1f9d55', '#c98a04', '#d14343', '#8b5cf6', '#0ea5e9']

export function OverviewView(): ReactNode {
  const model = useViewModel(overviewModel, undefined)
  const samples = useSelect(model, (s) => s.samples)
  const error = useSelect(model, (s) => s.error)
  const nodeName = useNodeName()
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
          empty="No task has completed in the last two hours."
          times={times}
          series={[{ label: 'completed', color: PALETTE[1] ?? '', values: samples.map((s) => s.completionsPerMinute) }]}
        />
        <LineChart
          title="Queues"
          unit="tasks"
          empty="The queue has been empty: no task pending, running or in manual review."
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
          empty="No task has run on a model yet, so there is no latency to show."
          times={times}
          series={backends.map((b, i) => ({
            label: nodeName(b),
            color: PALETTE[i % PALETTE.length] ?? '',
            values: samples.map((s) => s.latencyByBackend[b] ?? null)
          }))}
        />
        <HealthStrip samples={samples} />
      </div>
    </>
  )
}
