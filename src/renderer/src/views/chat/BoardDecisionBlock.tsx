import { useEffect, useState, type ReactNode } from 'react'
import type { BoardDecision } from '../../../../shared/contract/board-contract'
import { useClient } from '../../client-context'

/** The board's decision above the answer it shaped, with a way into the Board view. */
export function BoardDecisionBlock({ id }: { id: string }): ReactNode {
  const client = useClient()
  const [decision, setDecision] = useState<BoardDecision | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    void client.call('board.decisions.get', { id }).then((r) => {
      if (!live) return
      if (r.ok) setDecision(r.value)
      else setError(r.error.message)
    })
    return () => void (live = false)
  }, [client, id])

  if (error) return <p className="field-error" role="alert">The board’s decision could not be read: {error}</p>
  if (!decision) return <p className="muted" role="status">Reading the board’s decision…</p>
  return (
    <aside className={`board-block outcome-${decision.outcome}`} aria-label="Board decision">
      <div className="board-block-head">
        <strong>Board decision</strong>
        <span className={`badge outcome-${decision.outcome}`}>{decision.outcome}</span>
        <span className="muted">{decision.tally.for} for · {decision.tally.against} against · {decision.tally.abstain} abstained</span>
        <a href={`#/board/${decision.id}`}>Open in Board</a>
      </div>
      <p>{decision.decision}</p>
      {decision.risks.length > 0 && <p className="muted">Risks: {decision.risks.join('; ')}</p>}
    </aside>
  )
}
