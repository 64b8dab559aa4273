import { useNodeName, useWriteAccess } from '../../model/use-view-model'
import type { ReactNode } from 'react'
import type { ChatMessage, ChatProgress, ChatRoute } from '../../../../shared/contract/chat-contract'
import { BoardDecisionBlock } from './BoardDecisionBlock'
import { Markdown } from './Markdown'
import { useChatView } from './use-chat-view'

const ROUTE_LABEL: Readonly<Record<ChatRoute, string>> = {
  cache: 'from the response cache',
  simple: 'quick answer',
  execution: 'expert answer',
  complex: 'split into tasks',
  strategic: 'strategic question'
}

const EMPTY: ChatProgress[] = []

export function ChatMessageView({
  message,
  targeted = false
}: {
  message: ChatMessage
  targeted?: boolean
}): ReactNode {
  const nodeName = useNodeName()
  const stopAccess = useWriteAccess('chat.stop')
  const retryAccess = useWriteAccess('chat.retry')
  const toTaskAccess = useWriteAccess('chat.toTask')
  const steps = useChatView((s) => s.steps[message.id] ?? EMPTY)
  const tasksConnected = useChatView((s) => s.status?.tasksConnected ?? false)
  const stop = useChatView((s) => s.stop)
  const retry = useChatView((s) => s.retry)
  const toTask = useChatView((s) => s.toTask)

  if (message.role === 'user') {
    return (
      <article className="chat-msg user" aria-label="Your message" data-message={message.id}>
        <div className="chat-msg-body">
          <p className="plain">{message.content}</p>
        </div>
        <div className="chat-msg-actions">
          <button
            type="button"
            className="link-button"
            disabled={!tasksConnected || toTaskAccess.blocked}
            title={toTaskAccess.title ?? (tasksConnected ? undefined : 'The task engine is not connected')}
            aria-describedby={toTaskAccess.describedBy}
            onClick={() => void toTask(message.id)}
          >
            Make this a task
          </button>
          <a className="link-button" href={workflowLink(message)}>
            Make this a workflow
          </a>
        </div>
      </article>
    )
  }

  const streaming = message.status === 'streaming'
  const current = steps.at(-1)
  return (
    <article
      className={`chat-msg assistant status-${message.status}${targeted ? ' targeted' : ''}`}
      tabIndex={targeted ? -1 : undefined}
      aria-label={`Answer by ${message.expertName ?? 'Assistant'}`}
      aria-busy={streaming}
      data-message={message.id}
    >
      <header className="chat-msg-head">
        <strong>{message.expertName ?? 'Assistant'}</strong>
        {message.route && <span className="badge">{ROUTE_LABEL[message.route]}</span>}
        {message.status === 'stopped' && <span className="badge warn">stopped</span>}
        {message.status === 'error' && <span className="badge bad">failed</span>}
      </header>
      {streaming && current && (
        <ol className="chat-steps" aria-label="Progress" aria-live="polite">
          {latestPerStep(steps).map((s) => (
            <li key={`${s.step}-${s.label}`} className={`step-${s.status}`}>
              <span className="step-n">
                {s.step}/{s.total}
              </span>{' '}
              {s.label}
            </li>
          ))}
        </ol>
      )}
      {streaming && !current && (
        <p className="muted" role="status">
          Starting…
        </p>
      )}
      {message.boardDecisionId && <BoardDecisionBlock id={message.boardDecisionId} />}
      {message.subtasks.length > 0 && (
        <ul className="chat-subtasks" aria-label="Subtasks">
          {message.subtasks.map((t) => (
            <li key={t.id} className={`task-${t.status}`}>
              <span className="badge">{t.status.replaceAll('_', ' ')}</span> {t.title}
            </li>
          ))}
        </ul>
      )}
      {message.content && (
        <div className="chat-msg-body">
          <Markdown text={message.content} />
          {streaming && (
            <span className="cursor" aria-hidden="true">
              ▍
            </span>
          )}
        </div>
      )}
      {message.error && (
        <p className="chat-error" role="alert">
          {message.error}
        </p>
      )}
      {message.notice && <p className="chat-notice">{message.notice}</p>}
      {message.sources.length > 0 && (
        <p className="muted small">Sources: {message.sources.map((s) => s.title).join(', ')}</p>
      )}
      <footer className="chat-msg-foot">
        {!streaming && message.model && (
          <span className="muted small" data-testid="message-meta">
            {message.model}
            {message.node ? ` on ${nodeName(message.node)}` : ''}
            {message.latencyMs !== null ? ` · ${(message.latencyMs / 1000).toFixed(1)} s` : ''}
            {message.tokensIn !== null ? ` · ${message.tokensIn} → ${message.tokensOut ?? 0} tokens` : ''}
            {message.fellBack ? ' · fell back' : ''}
          </span>
        )}
        <span className="chat-msg-actions">
          {streaming ? (
            <button
              type="button"
              className="secondary"
              onClick={() => void stop(message.id)}
              disabled={stopAccess.blocked}
              title={stopAccess.title}
              aria-describedby={stopAccess.describedBy}
            >
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="link-button"
              onClick={() => void retry(message.id)}
              disabled={retryAccess.blocked}
              title={retryAccess.title}
              aria-describedby={retryAccess.describedBy}
            >
              Retry
            </button>
          )}
          {!streaming && (
            <button
              type="button"
              className="link-button"
              disabled={!tasksConnected || toTaskAccess.blocked}
              title={toTaskAccess.title ?? (tasksConnected ? undefined : 'The task engine is not connected')}
              aria-describedby={toTaskAccess.describedBy}
              onClick={() => void toTask(message.id)}
            >
              Make this a task
            </button>
          )}
        </span>
      </footer>
    </article>
  )
}

/** The Workflows view's form, filled with the message, remembering where the run came from. */
function workflowLink(message: ChatMessage): string {
  const params = new URLSearchParams({ input: message.content.slice(0, 50_000), message: message.id })
  return `#/workflows?${params.toString()}`
}

/** A step reported twice (its label refined) is shown once, as last reported. */
function latestPerStep(steps: readonly ChatProgress[]): ChatProgress[] {
  const byStep = new Map<number, ChatProgress>()
  for (const s of steps) byStep.set(s.step, s)
  return [...byStep.values()]
}
