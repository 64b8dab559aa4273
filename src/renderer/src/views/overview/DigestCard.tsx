import type { ReactNode } from 'react'
import { digestModel, share, type DigestBasis } from '../../model/overview/digest-model'
import { useSelect, useViewModel } from '../../model/use-view-model'
import { errorTypeCounts } from '../../../../shared/error-type-label'

const BASES: readonly { basis: DigestBasis; label: string }[] = [
  { basis: 'last_visit', label: 'Since you were last here' },
  { basis: 'morning', label: 'Since this morning' }
]

/** What happened while nobody watched: tasks, manual review and its causes, restarts, circuits, fallbacks, tokens. */
export function DigestCard(): ReactNode {
  const model = useViewModel(digestModel, undefined)
  const basis = useSelect(model, (s) => s.basis)
  const digest = useSelect(model, (s) => s.digest)
  const error = useSelect(model, (s) => s.error)
  const show = useSelect(model, (s) => s.show)
  return (
    <section className="card digest-card" aria-labelledby="digest-title">
      <h2 id="digest-title">What happened</h2>
      <div role="group" aria-label="Digest range" className="digest-range">
        {BASES.map((b) => (
          <button
            key={b.basis}
            type="button"
            className={b.basis === basis ? '' : 'secondary'}
            aria-pressed={b.basis === basis}
            onClick={() => void show(b.basis)}
          >
            {b.label}
          </button>
        ))}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {!digest ? (
        <p className="muted" role="status">
          Reading the digest…
        </p>
      ) : (
        <>
          <p className="muted">
            {new Date(digest.from).toLocaleString()} – {new Date(digest.to).toLocaleString()}
            {basis === 'last_visit' && digest.basis === 'morning'
              ? ' (no earlier visit recorded: since the digest hour)'
              : ''}
          </p>
          <dl className="facts digest-facts">
            <dt>Tasks done</dt>
            <dd data-testid="digest-completed">{digest.tasks.completed}</dd>
            <dt>In manual review</dt>
            <dd data-testid="digest-review">
              {digest.tasks.inReview}
              {Object.keys(digest.tasks.reviewCauses).length > 0 && ` (${errorTypeCounts(digest.tasks.reviewCauses)})`}
            </dd>
            <dt>Model-server restarts</dt>
            <dd>{digest.restarts.count}</dd>
            <dt>Circuits opened</dt>
            <dd>{digest.circuits.count}</dd>
            <dt>Chat answers by fallback</dt>
            <dd>
              {digest.chat.answers === 0
                ? 'no chat answers'
                : `${share(digest.chat.fallbackShare)} of ${digest.chat.answers}`}
            </dd>
            <dt>Tokens</dt>
            <dd>
              {digest.usage.tokensIn.toLocaleString()} in, {digest.usage.tokensOut.toLocaleString()} out; cost{' '}
              {digest.usage.cost.toFixed(2)}
            </dd>
          </dl>
          {[...digest.restarts.latest, ...digest.circuits.latest].length > 0 && (
            <ul className="digest-occurrences">
              {digest.restarts.latest.map((r) => (
                <li key={`r${r.at}${r.subject}`}>
                  {new Date(r.at).toLocaleTimeString()} restarted {r.subject}
                  {r.cause ? `: ${r.cause}` : ''}
                </li>
              ))}
              {digest.circuits.latest.map((c) => (
                <li key={`c${c.at}${c.subject}`}>
                  {new Date(c.at).toLocaleTimeString()} circuit opened on {c.subject}
                  {c.cause ? `: ${c.cause}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  )
}
