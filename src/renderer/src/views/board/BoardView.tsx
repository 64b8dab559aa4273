import { useEffect, useState, type ReactNode } from 'react'
import {
  BOARD_CALLS,
  BOARD_OUTCOMES,
  BOARD_SOURCES,
  type BoardDecision
} from '../../../../shared/contract/board-contract'
import { EmptyState } from '../../components/EmptyState'
import { PageEnd } from '../../components/PageEnd'
import { ViewHeader } from '../../components/ViewHeader'
import { boardModel, type BoardState } from '../../model/board/board-model'
import { validateForm } from '../../model/form-validation'
import { useSelect, useViewModel, useWriteAccess } from '../../model/use-view-model'
import type { ViewModel } from '../../model/view-model'
import './board.css'

/** `#/board/<decision>` opens that decision (the chat's decision block links here). */
function decisionFromHash(): string | null {
  return /^#\/board\/([^/?]+)/.exec(location.hash)?.[1] ?? null
}

export function BoardView(): ReactNode {
  const store = useViewModel(boardModel, decisionFromHash())
  const decisions = useSelect(store, (s) => s.decisions)
  const filters = useSelect(store, (s) => s.filters)
  const selected = useSelect(store, (s) => s.selected)
  const error = useSelect(store, (s) => s.error)
  const timeoutSec = useSelect(store, (s) => s.timeoutSec)
  const modelConnected = useSelect(store, (s) => s.modelConnected)
  const filtered = filters.source !== '' || filters.outcome !== '' || filters.query.trim() !== ''

  useEffect(() => {
    const onHash = (): void => void store.getState().select(decisionFromHash())
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [store])

  return (
    <>
      <ViewHeader title="Board" subtitle="Strategic questions weighed by the board of directors." />
      {error && (
        <p className="board-error" role="alert">
          {error.message}
        </p>
      )}
      <AskBoard store={store} timeoutSec={timeoutSec} modelConnected={modelConnected} />
      <div className="board-filters" role="group" aria-label="Filter decisions">
        <label>
          Source{' '}
          <select
            value={filters.source}
            onChange={(e) => void store.getState().setFilters({ source: e.target.value as typeof filters.source })}
          >
            <option value="">any</option>
            {BOARD_SOURCES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome{' '}
          <select
            value={filters.outcome}
            onChange={(e) => void store.getState().setFilters({ outcome: e.target.value as typeof filters.outcome })}
          >
            <option value="">any</option>
            {BOARD_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          aria-label="Search decisions"
          placeholder="Words in the question or decision"
          value={filters.query}
          onChange={(e) => void store.getState().setFilters({ query: e.target.value })}
        />
      </div>
      {decisions === null ? (
        <p className="muted" role="status">
          Reading the board’s decisions…
        </p>
      ) : decisions.items.length === 0 ? (
        filtered ? (
          <p className="muted">No decision matches these filters.</p>
        ) : (
          <EmptyState
            title="No board decisions"
            status={
              modelConnected === false
                ? 'No model backend is connected, so the board cannot meet yet.'
                : 'The board has not been asked anything yet.'
            }
          >
            Strategic questions in the chat (“should we invest…”, “what should our strategy be…”) and questions you ask
            here go to the board: each member states a position and votes, and the chair decides.
          </EmptyState>
        )
      ) : (
        <div className="board-layout">
          <ul className="board-list" aria-label="Decisions">
            {decisions.items.map((d) => (
              <li key={d.id}>
                <button
                  type="button"
                  className={`board-item${selected?.id === d.id ? ' current' : ''}`}
                  aria-current={selected?.id === d.id ? 'true' : undefined}
                  onClick={() => void store.getState().select(d.id)}
                >
                  <span className="board-item-q">{d.question}</span>
                  <span className="board-item-meta">
                    <span className={`board-badge outcome-${d.outcome}`}>{d.outcome}</span> {d.tally.for} for ·{' '}
                    {d.tally.against} against · {d.source} · {new Date(d.createdAt).toLocaleString()}
                  </span>
                </button>
              </li>
            ))}
            {decisions.nextCursor !== null && (
              <li>
                <PageEnd
                  more
                  loading={decisions.loading}
                  label="Show older decisions"
                  onMore={() => void store.getState().loadMore()}
                />
              </li>
            )}
          </ul>
          {selected ? (
            <DecisionDetail decision={selected} />
          ) : (
            <p className="muted board-detail">Pick a decision to see each member’s position and vote.</p>
          )}
        </div>
      )}
    </>
  )
}

function AskBoard({
  store,
  timeoutSec,
  modelConnected
}: {
  store: ViewModel<BoardState>
  timeoutSec: number | null
  modelConnected: boolean | null
}): ReactNode {
  const askAccess = useWriteAccess('board.consult')
  const consulting = useSelect(store, (s) => s.consulting)
  const [question, setQuestion] = useState('')
  const [refusal, setRefusal] = useState<string | null>(null)
  const ask = async (): Promise<void> => {
    // The contract's own rule for a question, said before the board is called together.
    const invalid = validateForm(BOARD_CALLS['board.consult'].input, { question }, { question: 'The question' })
    if (invalid) return setRefusal(invalid.question ?? null)
    const error = await store.getState().consult(question)
    setRefusal(error?.message ?? null)
    if (!error) setQuestion('')
  }
  return (
    <form className="card board-ask" onSubmit={(e) => (e.preventDefault(), void ask())}>
      <label htmlFor="board-question">
        <strong>Ask the board</strong>{' '}
        <span className="board-note">
          {timeoutSec ? `the board has ${timeoutSec} s to decide` : ''}
          {modelConnected === false ? ' · no model backend is connected' : ''}
        </span>
      </label>
      <div className="board-ask-row">
        <input
          id="board-question"
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          placeholder="Should we…?"
          disabled={askAccess.blocked}
          title={askAccess.title}
          aria-describedby={askAccess.describedBy}
        />
        <button
          type="submit"
          disabled={consulting || question.trim().length === 0 || askAccess.blocked}
          title={askAccess.title}
          aria-describedby={askAccess.describedBy}
        >
          {consulting ? 'The board is meeting…' : 'Ask'}
        </button>
      </div>
      {refusal && (
        <p className="field-error" role="alert">
          {refusal}
        </p>
      )}
    </form>
  )
}

function DecisionDetail({ decision }: { decision: BoardDecision }): ReactNode {
  return (
    <article className="board-detail card" aria-label="Decision">
      <p className="board-note">
        {decision.source} · {new Date(decision.createdAt).toLocaleString()} · asked by {decision.userId} · correlation{' '}
        {decision.correlationId}
      </p>
      <h2>{decision.question}</h2>
      <p className="board-decision">
        <span className={`board-badge outcome-${decision.outcome}`}>{decision.outcome}</span>{' '}
        <strong>{decision.chairName}:</strong> {decision.decision}
      </p>
      {decision.rationale && (
        <>
          <h3>Rationale</h3>
          <p className="pre">{decision.rationale}</p>
        </>
      )}
      {decision.risks.length > 0 && (
        <>
          <h3>Risks</h3>
          <ul>
            {decision.risks.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </>
      )}
      <h3>
        Positions and votes ({decision.tally.for} for, {decision.tally.against} against, {decision.tally.abstain}{' '}
        abstained)
      </h3>
      <ul className="board-positions">
        {decision.positions.map((p) => (
          <li key={p.memberId}>
            <div>
              <strong>{p.memberName}</strong> <span className="muted">{p.role}</span>{' '}
              <span className={`board-badge vote-${p.vote}`}>{p.vote}</span>
            </div>
            <p className="pre">{p.position}</p>
          </li>
        ))}
      </ul>
      {decision.sessionId && (
        <p>
          <a href={`#/chat/${decision.sessionId}${decision.messageId ? `/${decision.messageId}` : ''}`}>
            Open the answer in the conversation this came from
          </a>
        </p>
      )}
      {decision.taskId && (
        <p>
          <a href={`#/tasks/${decision.taskId}`}>Open the task this came from</a>
        </p>
      )}
    </article>
  )
}
