import { useEffect, type ReactNode } from 'react'
import type { UsageRow } from '../../../../shared/contract/chat-contract'
import { periodText } from '../../model/usage/usage-model'
import { UsageChart, compact } from '../usage/UsageChart'
import { useChatView } from './use-chat-view'

export function UsagePanel(): ReactNode {
  const usage = useChatView((s) => s.usage)
  const loadUsage = useChatView((s) => s.loadUsage)
  useEffect(() => void loadUsage(), [loadUsage])

  if (!usage)
    return (
      <section className="card" aria-label="Usage">
        <p className="muted" role="status">
          Reading usage…
        </p>
      </section>
    )
  const { counters, budget } = usage
  const ratio = counters.fallbackRatio24h
  const daily = budget.period === 'day' && budget.budget > 0
  return (
    <section className="card usage-panel" aria-label="Usage">
      <h2>Chat and board tokens, last {usage.days} days</h2>
      <p>
        {periodText(budget.period).current}, every model call together: <strong>{compact(budget.used)}</strong> tokens
        {budget.budget > 0 ? ` of a ${compact(budget.budget)}-token budget` : ' (no budget set)'}
        {budget.exceeded && <span className="badge bad"> over budget</span>}.{' '}
        <a href="#/usage">All usage, by project, model and node →</a>
      </p>
      <UsageChart days={usage.byDay} budget={daily ? budget.budget : 0} />
      <p className="muted small">
        <span className="swatch in" /> tokens in <span className="swatch out" /> tokens out
        {daily ? ' · dashed: daily budget' : ''}
      </p>
      <p>
        Expert answers: <strong data-testid="expert-answers">{counters.expertAnswers}</strong> · fallbacks:{' '}
        <strong>{counters.fallbacks}</strong> · fallback share over 24 h:{' '}
        <strong className={ratio !== null && ratio > counters.threshold ? 'bad-text' : undefined}>
          {ratio === null ? 'no answers yet' : `${Math.round(ratio * 100)}% of ${counters.answers24h}`}
        </strong>{' '}
        (limit {Math.round(counters.threshold * 100)}%)
      </p>
      <div className="usage-tables">
        <UsageTable title="By expert" rows={usage.byExpert} />
        <UsageTable title="By conversation" rows={usage.bySession} />
      </div>
    </section>
  )
}

function UsageTable({ title, rows }: { title: string; rows: readonly UsageRow[] }): ReactNode {
  return (
    <table className="usage-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Requests</th>
          <th scope="col">Tokens</th>
          <th scope="col">Time</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={5} className="muted">
              Nothing yet
            </td>
          </tr>
        ) : (
          rows.map((r) => (
            <tr key={r.key}>
              <td>{r.label}</td>
              <td>{r.requests}</td>
              <td>{compact(r.tokensIn + r.tokensOut)}</td>
              <td>{(r.durationMs / 1000).toFixed(1)} s</td>
              <td>{r.cost.toFixed(2)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  )
}
