import type { ReactNode } from 'react'
import type { UsageRow } from '../../../../shared/contract/chat-contract'
import './usage.css'

type Day = Pick<UsageRow, 'key' | 'tokensIn' | 'tokensOut' | 'requests'>

const WIDTH = 560
const HEIGHT = 140
const PAD = { top: 10, right: 8, bottom: 22, left: 48 }

/** Tokens per day, in and out stacked, drawn as plain SVG; the budget is a dashed line when set. */
export function UsageChart({ days, budget }: { days: readonly Day[]; budget: number }): ReactNode {
  const totals = days.map((d) => d.tokensIn + d.tokensOut)
  const top = Math.max(1, ...totals, budget > 0 && budget < Math.max(...totals) * 3 ? budget : 0)
  const plotW = WIDTH - PAD.left - PAD.right
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const slot = plotW / Math.max(days.length, 1)
  const bar = Math.max(2, slot * 0.7)
  const y = (value: number): number => PAD.top + plotH - (value / top) * plotH
  const label = days.map((d) => `${d.key}: ${d.tokensIn} in, ${d.tokensOut} out`).join('; ')
  return (
    <svg className="usage-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Tokens per day. ${label}`}>
      <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} className="axis" />
      <text x={PAD.left - 6} y={y(top) + 4} className="tick" textAnchor="end">
        {compact(top)}
      </text>
      <text x={PAD.left - 6} y={y(0)} className="tick" textAnchor="end">
        0
      </text>
      {days.map((d, i) => {
        const x = PAD.left + i * slot + (slot - bar) / 2
        return (
          <g key={d.key}>
            <title>{`${d.key}: ${d.tokensIn} tokens in, ${d.tokensOut} out, ${d.requests} requests`}</title>
            <rect x={x} width={bar} y={y(d.tokensIn)} height={y(0) - y(d.tokensIn)} className="bar-in" />
            <rect
              x={x}
              width={bar}
              y={y(d.tokensIn + d.tokensOut)}
              height={y(d.tokensIn) - y(d.tokensIn + d.tokensOut)}
              className="bar-out"
            />
            {(i === 0 || i === days.length - 1 || i % 7 === 0) && (
              <text x={x + bar / 2} y={HEIGHT - 6} className="tick" textAnchor="middle">
                {d.key.slice(5)}
              </text>
            )}
          </g>
        )
      })}
      {budget > 0 && budget <= top && (
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(budget)} y2={y(budget)} className="budget" />
      )}
    </svg>
  )
}

export function compact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)}k`
  return String(n)
}
