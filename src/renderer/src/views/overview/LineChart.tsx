import type { ReactNode } from 'react'

export interface Series {
  readonly label: string
  readonly color: string
  /** One value per sample; null is a gap (the value could not be read). */
  readonly values: readonly (number | null)[]
}

const W = 560
const H = 150
const PAD = { left: 40, right: 8, top: 10, bottom: 20 }

/**
 * A small time-series chart in SVG: no chart library, gaps shown as gaps,
 * the y axis from zero to a rounded maximum, times of the first and last
 * sample under the axis.
 */
export function LineChart({
  title,
  series,
  times,
  unit
}: {
  title: string
  series: readonly Series[]
  times: readonly string[]
  unit: string
}): ReactNode {
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
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}, ${n} samples`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} className="grid" />
            <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" className="axis">
              {round(max * f)}
            </text>
          </g>
        ))}
        {series.map((s) => (
          <path key={s.label} d={path(s.values)} stroke={s.color} fill="none" strokeWidth={2} />
        ))}
        {n > 0 && (
          <>
            <text x={PAD.left} y={H - 4} className="axis">
              {clock(times[0] ?? '')}
            </text>
            <text x={W - PAD.right} y={H - 4} textAnchor="end" className="axis">
              {clock(times[n - 1] ?? '')}
            </text>
          </>
        )}
      </svg>
      {n < 2 && <p className="muted chart-note">Collecting samples: a point every 15 seconds.</p>}
    </figure>
  )
}

function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value))
  return Math.ceil(value / magnitude) * magnitude
}

const round = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2).replace(/\.?0+$/, '')
const clock = (iso: string): string =>
  iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : ''
