import { useEffect, type ReactNode } from 'react'
import { useChatView } from './use-chat-view'

/** The board's decision above the answer it shaped, with a way into the Board view. */
export function BoardDecisionBlock({ id }: { id: string }): ReactNode {
  const read = useChatView((s) => s.decisions[id])
  const readDecision = useChatView((s) => s.readDecision)
  useEffect(() => void readDecision(id), [readDecision, id])

  if (read && 'error' in read)
    return (
      <p className="field-error" role="alert">
        The board’s decision could not be read: {read.error.message}
      </p>
    )
  const decision = read?.decision
  if (!decision)
    return (
      <p className="muted" role="status">
        Reading the board’s decision…
      </p>
    )
  return (
    <aside className={`board-block outcome-${decision.outcome}`} aria-label="Board decision">
      <div className="board-block-head">
        <strong>Board decision</strong>
        <span className={`badge outcome-${decision.outcome}`}>{decision.outcome}</span>
        <span className="muted">
          {decision.tally.for} for · {decision.tally.against} against · {decision.tally.abstain} abstained
        </span>
        <a href={`#/board/${decision.id}`}>Open in Board</a>
      </div>
      <p>{decision.decision}</p>
      {decision.risks.length > 0 && <p className="muted">Risks: {decision.risks.join('; ')}</p>}
    </aside>
  )
}
