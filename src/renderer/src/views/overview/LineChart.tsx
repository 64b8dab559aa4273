import type { ReactNode } from 'react'
import { chartState } from '../../model/overview/overview-model'

export interface Series {
  readonly label: string
  readonly color: string
  /** One value per sample; null is a gap (the value could not be read). */
  readonly values: readonly (number | null)[]
}

const W = 560
const H = 160
const PAD = { left: 44, right: 10, top: 16, bottom: 22 }

/**
 * A small time-series chart in SVG: no chart library, gaps shown as gaps,
 * the y axis from zero to a rounded maximum with its unit, times under the
 * x axis. Before two samples, or when nothing happened, it says so in words
 * instead of drawing a flat line.
 */
export function LineChart({
  title,
  series,
  times,
  unit,
  empty
}: {
  title: string
  series: readonly Series[]
  times: readonly string[]
  unit: string
  /** What an all-zero chart means, in words ("No task has completed in the last two hours."). */
  empty: string
}): ReactNode {
  const state = chartState(
    times.length,
    series.map((s) => s.values)
  )
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null))
  const max = niceMax(Math.max(1, ...all))
  const n = times.length
  const x = (i: number): number => PAD.left + (n <= 1 ? 0 : (i / (n - 1)) * (W - PAD.left - PAD.right))
  const y = (v: number): number => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom)
  const path = (values: readonly (number | null)[]): string =>
    values.reduce<{ d: string; pen: boolean }>(
      (acc, v, i) =>
        v === null
          ? { d: acc.d, pen: false }
          : { d: `${acc.d}${acc.pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`, pen: true },
      { d: '', pen: false }
    ).d
  const span = n > 1 ? Date.parse(times[n - 1] ?? '') - Date.parse(times[0] ?? '') : 0
  const latest = series.map((s) => ({
    label: s.label,
    color: s.color,
    value: [...s.values].reverse().find((v) => v !== null) ?? null
  }))
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>
        <strong>{title}</strong>
        {latest.map((l) => (
          <span key={l.label} className="legend">
            <i style={{ background: l.color }} aria-hidden="true" />
            {l.label}: {l.value === null ? '—' : `${round(l.value)} ${unit}`}
          </span>
        ))}
      </figcaption>
      {state !== 'data' ? (
        <div className="chart-empty" role="status" data-testid="chart-empty">
          <strong>{state === 'collecting' ? 'No data yet' : 'Nothing to draw yet'}</strong>
          <span>
            {state === 'collecting' ? 'A point is taken every 15 seconds; the line starts with the second.' : empty}
          </span>
        </div>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} in ${unit}, ${n} samples`}>
          <text x={2} y={9} className="axis axis-unit">
            {unit}
          </text>
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} className="grid" />
              <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" className="axis">
                {round(max * f)}
              </text>
            </g>
          ))}
          {series.map((s) => (
            <g key={s.label}>
              <path d={path(s.values)} stroke={s.color} fill="none" strokeWidth={2} />
              {/* A value with no neighbour draws no line: a dot shows it. */}
              {s.values.map((v, i) =>
                v !== null && (s.values[i - 1] ?? null) === null && (s.values[i + 1] ?? null) === null ? (
                  <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={s.color} />
                ) : null
              )}
            </g>
          ))}
          <text x={PAD.left} y={H - 4} className="axis">
            {clock(times[0] ?? '', span)}
          </text>
          <text x={(PAD.left + W - PAD.right) / 2} y={H - 4} textAnchor="middle" className="axis">
            {clock(times[Math.floor((n - 1) / 2)] ?? '', span)}
          </text>
          <text x={W - PAD.right} y={H - 4} textAnchor="end" className="axis">
            {clock(times[n - 1] ?? '', span)}
          </text>
        </svg>
      )}
    </figure>
  )
}

function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value))
  return Math.ceil(value / magnitude) * magnitude
}

const round = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2).replace(/\.?0+$/, '')
/** Seconds too when the chart spans less than ten minutes, else its three ticks could read the same. */
const clock = (iso: string, spanMs: number): string =>
  iso
    ? new Date(iso).toLocaleTimeString([], {
        hour: '2-digit',
        minute: '2-digit',
        ...(spanMs < 600_000 ? { second: '2-digit' } : {})
      })
    : ''
