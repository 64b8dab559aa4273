import type { ReactNode } from 'react'
import type { OverviewSample } from '../../../../shared/contract/overview-contract'
import { healthShares, type HealthLevel } from '../../model/overview/overview-model'

const LEVELS: Readonly<Record<HealthLevel, { label: string; className: string }>> = {
  ok: { label: 'Healthy', className: 'h-ok' },
  degraded: { label: 'Degraded', className: 'h-degraded' },
  down: { label: 'Down', className: 'h-down' },
  unknown: { label: 'Not measured', className: 'h-unknown' }
}

const clock = (iso: string | undefined): string =>
  iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : ''
const percent = (share: number): string => `${Math.round(share * 100)}%`

/** The corporation's health over the last two hours, one stripe per sample, with a legend of what each colour means. */
export function HealthStrip({ samples }: { samples: readonly OverviewSample[] }): ReactNode {
  const now = samples.at(-1)?.health ?? null
  const shares = healthShares(samples)
  return (
    <figure className="chart" aria-label="Health over time">
      <figcaption>
        <strong>Health</strong>
        <span className="legend">now: {now ? LEVELS[now].label.toLowerCase() : '—'}</span>
      </figcaption>
      {samples.length === 0 ? (
        <div className="chart-empty" role="status" data-testid="chart-empty">
          <strong>No data yet</strong>
          <span>The first health sample is taken within 15 seconds of the app starting.</span>
        </div>
      ) : (
        <>
          <div className="health-strip" role="img" aria-label={`Health over ${samples.length} samples`}>
            {samples.map((s) => (
              <span
                key={s.at}
                className={LEVELS[s.health ?? 'unknown'].className}
                title={`${clock(s.at)}: ${LEVELS[s.health ?? 'unknown'].label}`}
              />
            ))}
          </div>
          <div className="strip-times muted" aria-hidden="true">
            <span>{clock(samples[0]?.at)}</span>
            <span>{clock(samples.at(-1)?.at)}</span>
          </div>
        </>
      )}
      <ul className="health-legend" aria-label="Legend">
        {(Object.keys(LEVELS) as HealthLevel[]).map((level) => {
          const share = shares.find((s) => s.level === level)?.share
          return (
            <li key={level}>
              <i className={LEVELS[level].className} aria-hidden="true" />
              {LEVELS[level].label}
              {share !== undefined && <span className="muted"> {percent(share)}</span>}
            </li>
          )
        })}
      </ul>
    </figure>
  )
}
