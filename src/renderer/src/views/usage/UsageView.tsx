import type { ReactNode } from 'react'
import { USAGE_DIMENSIONS, type UsageDimension, type UsageReport } from '../../../../shared/contract/usage-contract'
import { EmptyState } from '../../components/EmptyState'
import { ViewHeader } from '../../components/ViewHeader'
import { useSelect, useViewModel } from '../../model/use-view-model'
import { budgetFill, periodText, shareOf, sourceMix, usageModel, type UsageRange } from '../../model/usage/usage-model'
import { Segmented } from './Segmented'
import { UsageChart, compact } from './UsageChart'
import './usage.css'

const DIMENSION_LABEL: Readonly<Record<UsageDimension, string>> = {
  day: 'Day',
  expert: 'Expert',
  model: 'Model',
  node: 'Node',
  project: 'Project'
}
const RANGES: readonly { value: UsageRange; label: string }[] = [
  { value: 'days7', label: '7 days' },
  { value: 'days14', label: '14 days' },
  { value: 'days30', label: '30 days' },
  { value: 'month', label: 'This month' }
]

/** Tokens, time and cost of every model call (chat, board, tasks, workflows), and the budget. */
export function UsageView(): ReactNode {
  const model = useViewModel(usageModel, undefined)
  const by = useSelect(model, (s) => s.by)
  const range = useSelect(model, (s) => s.range)
  const daily = useSelect(model, (s) => s.daily)
  const grouped = useSelect(model, (s) => s.grouped)
  const error = useSelect(model, (s) => s.error)
  const { groupBy, show } = model.getState()

  return (
    <>
      <ViewHeader
        title="Usage"
        subtitle="Tokens, time and cost of every model call: the chat, the board, the worker's tasks and workflows."
        actions={<Segmented label="Range" options={RANGES} value={range} onChange={(r) => void show(r)} />}
      />
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {!daily ? (
        !error && (
          <p className="muted" role="status">
            Reading usage…
          </p>
        )
      ) : (
        <>
          <BudgetCard report={daily} />
          <section className="card" aria-labelledby="usage-days-title">
            <h2 id="usage-days-title">
              Tokens per day, {daily.since} – {daily.until}
            </h2>
            <UsageChart days={daily.groups} budget={daily.budget.period === 'day' ? daily.budget.budget : 0} />
            <p className="muted small">
              <span className="swatch in" /> tokens in <span className="swatch out" /> tokens out
              {daily.budget.period === 'day' && daily.budget.budget > 0 ? ' · dashed: the daily budget' : ''}
            </p>
          </section>
          {daily.total.requests === 0 ? (
            <EmptyState
              title="No model calls in this range"
              status="Counting starts with the first answer: a chat message, a board question or a task the worker runs."
            >
              Every call is counted here with the tokens its model server reported, by day, expert, model, node and
              project.
            </EmptyState>
          ) : (
            <section className="card" aria-labelledby="usage-groups-title">
              <div className="usage-groups-head">
                <h2 id="usage-groups-title">By {DIMENSION_LABEL[by].toLowerCase()}</h2>
                <Segmented
                  label="Group by"
                  options={USAGE_DIMENSIONS.map((d) => ({ value: d, label: DIMENSION_LABEL[d] }))}
                  value={by}
                  onChange={(d) => void groupBy(d)}
                />
              </div>
              {grouped && <GroupTable report={grouped} />}
              <CostNote report={grouped ?? daily} />
            </section>
          )}
        </>
      )}
    </>
  )
}

function BudgetCard({ report }: { report: UsageReport }): ReactNode {
  const { budget } = report
  const fill = budgetFill(report)
  return (
    <section className="card usage-budget" aria-labelledby="usage-budget-title" data-testid="usage-budget">
      <h2 id="usage-budget-title">{periodText(budget.period).current}</h2>
      <p>
        <strong>{budget.used.toLocaleString()}</strong> tokens since {budget.start}
        {fill === null
          ? '. No budget is set (usage.tokenBudget in Settings).'
          : ` of the ${periodText(budget.period).adjective} budget of ${budget.budget.toLocaleString()} (${Math.round(fill * 100)}%).`}
      </p>
      {fill !== null && (
        <div
          className={`budget-bar${budget.exceeded ? ' over' : fill > 0.8 ? ' near' : ''}`}
          role="meter"
          aria-label={`Budget used this ${budget.period}`}
          aria-valuemin={0}
          aria-valuemax={budget.budget}
          aria-valuenow={budget.used}
        >
          <span style={{ width: `${Math.min(100, fill * 100)}%` }} />
        </div>
      )}
      {budget.exceeded && (
        <p className="bad-text" role="alert">
          Over budget.{' '}
          {budget.alertedAt
            ? `The alert went out at ${new Date(budget.alertedAt).toLocaleString()} (a notification and the webhook); the next one comes next ${budget.period} at the earliest.`
            : 'The alert goes out with the next model call.'}{' '}
          Nothing is stopped: the budget only tells.
        </p>
      )}
    </section>
  )
}

function GroupTable({ report }: { report: UsageReport }): ReactNode {
  const { groups, total, by } = report
  const rows = by === 'day' ? [...groups].reverse().filter((g) => g.requests > 0) : groups
  return (
    <div className="usage-scroll">
      <table className="usage-table usage-groups" aria-describedby="usage-groups-title">
        <thead>
          <tr>
            <th scope="col">{DIMENSION_LABEL[by]}</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              Tokens in
            </th>
            <th scope="col" className="num">
              Tokens out
            </th>
            <th scope="col">Share</th>
            <th scope="col">From</th>
            <th scope="col" className="num">
              Time
            </th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.key}>
              <th scope="row" title={g.key !== g.label && g.key ? g.key : undefined}>
                {g.label}
              </th>
              <td className="num">{g.requests.toLocaleString()}</td>
              <td className="num">{compact(g.tokensIn)}</td>
              <td className="num">{compact(g.tokensOut)}</td>
              <td>
                <span className="share-bar" aria-hidden="true">
                  <span style={{ width: `${shareOf(g, total) * 100}%` }} />
                </span>{' '}
                {Math.round(shareOf(g, total) * 100)}%
              </td>
              <td className="muted">
                {sourceMix(g)}
                {g.estimatedTokens > 0 && (
                  <span title="The model server reported no counts for some calls: those are estimated from the text.">
                    {' '}
                    · {compact(g.estimatedTokens)} estimated
                  </span>
                )}
                <FailedTokens group={g} />
              </td>
              <td className="num">{(g.durationMs / 1000).toFixed(1)} s</td>
              <td className="num">{g.cost.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{total.requests.toLocaleString()}</td>
            <td className="num">{compact(total.tokensIn)}</td>
            <td className="num">{compact(total.tokensOut)}</td>
            <td />
            <td className="muted">
              {sourceMix(total)}
              <FailedTokens group={total} />
            </td>
            <td className="num">{(total.durationMs / 1000).toFixed(1)} s</td>
            <td className="num">{total.cost.toFixed(2)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  )
}

/** Tokens spent by calls that gave no answer: paid for all the same, so counted in the row and named here. */
function FailedTokens({ group }: { group: UsageReport['total'] }): ReactNode {
  if (group.failedTokens === 0) return null
  return (
    <span
      className="usage-failed"
      data-testid="usage-failed"
      title={`${group.failedRequests.toLocaleString()} call(s) gave no answer after spending tokens: a cut stream, a server error, an echo or a cancelled run. They count in the totals.`}
    >
      {' '}
      · of which failed: {compact(group.failedTokens)}
    </span>
  )
}

function CostNote({ report }: { report: UsageReport }): ReactNode {
  return (
    <p className="muted small">
      Cost: remote nodes at {report.remotePricePer1k} per 1,000 tokens (chat.remotePricePer1k); nodes on this Mac cost
      nothing. Counts are the model servers' own (Ollama, OpenAI-compatible usage, llama.cpp's tokenizer); where a
      server sent none they are estimated and marked. A call that gave no answer (a cut stream, a server error, an echo)
      still spent its tokens: they count, and “of which failed” says how many. The same figures:{' '}
      <code>kos usage --by {report.by}</code>.
    </p>
  )
}
