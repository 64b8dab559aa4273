import { useEffect, useRef, useState, type ReactNode } from 'react'
import { ViewHeader } from '../../components/ViewHeader'
import { chatModel } from '../../model/chat/chat-model'
import { useSelect, useViewModel } from '../../model/use-view-model'
import { ChatMessageView } from './ChatMessageView'
import { Composer } from './Composer'
import { ExpertsPanel } from './ExpertsPanel'
import { SessionList } from './SessionList'
import { UsagePanel } from './UsagePanel'
import { ChatViewContext, useChatView } from './use-chat-view'
import './chat.css'

type Panel = 'none' | 'team' | 'usage'

/** `#/chat/<session>[/<message>]` opens that session at that message (the Board view links back this way). */
function sessionFromHash(): string | null {
  return /^#\/chat\/([^/?]+)/.exec(location.hash)?.[1] ?? null
}

function messageFromHash(): string | null {
  return /^#\/chat\/[^/?]+\/([^/?]+)/.exec(location.hash)?.[1] ?? null
}

export function ChatView(): ReactNode {
  const store = useViewModel(chatModel, sessionFromHash())
  const [panel, setPanel] = useState<Panel>('none')
  const currentId = useSelect(store, (s) => s.currentId)
  const [target, setTarget] = useState(messageFromHash)

  useEffect(() => {
    const onHash = (): void => {
      const id = sessionFromHash()
      setTarget(messageFromHash())
      if (id && id !== store.getState().currentId) void store.getState().select(id)
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [store])

  const download = async (): Promise<void> => {
    if (!currentId) return
    const file = await store.getState().exportSession(currentId)
    if (!file) return
    const url = URL.createObjectURL(new Blob([file.markdown], { type: 'text/markdown' }))
    const a = document.createElement('a')
    a.href = url
    a.download = file.fileName
    a.click()
    URL.revokeObjectURL(url)
  }
  const toggle = (next: Panel): void => setPanel((p) => (p === next ? 'none' : next))

  return (
    <ChatViewContext.Provider value={store}>
      <ViewHeader
        title="Chat"
        subtitle="Talk with the lead agent and her team of experts."
        actions={
          <>
            <button type="button" className="secondary" aria-pressed={panel === 'team'} onClick={() => toggle('team')}>
              Team
            </button>
            <button
              type="button"
              className="secondary"
              aria-pressed={panel === 'usage'}
              onClick={() => toggle('usage')}
            >
              Usage
            </button>
            <button type="button" className="secondary" disabled={!currentId} onClick={() => void download()}>
              Export as Markdown
            </button>
          </>
        }
      />
      <Alerts />
      {panel === 'team' && <ExpertsPanel />}
      {panel === 'usage' && <UsagePanel />}
      <div className="chat-layout">
        <SessionList />
        <Conversation target={target} />
      </div>
    </ChatViewContext.Provider>
  )
}

function Alerts(): ReactNode {
  const status = useChatView((s) => s.status)
  const error = useChatView((s) => s.error)
  const flash = useChatView((s) => s.flash)
  const budget = useChatView((s) => s.budgetAlert)
  const dismiss = useChatView((s) => s.dismiss)
  return (
    <>
      {status && !status.modelConnected && (
        <p className="chat-banner warn" role="status" data-testid="no-backend">
          No model backend is connected, so no one can answer yet. Messages are kept; each will end with this error
          until Ollama or an MLX server is connected, then Retry works.
        </p>
      )}
      {budget && (
        <p className="chat-banner bad" role="alert">
          Model calls used {budget.tokens.toLocaleString()} tokens this {budget.period} (since {budget.start}), over the
          budget of {budget.budget.toLocaleString()} (usage.tokenBudget in Settings). See the Usage view.
        </p>
      )}
      {error && (
        <p className="chat-banner bad" role="alert">
          {error.message}{' '}
          <button type="button" className="link-button" onClick={dismiss}>
            Dismiss
          </button>
        </p>
      )}
      {flash && (
        <p className="chat-banner ok" role="status">
          {flash}{' '}
          <button type="button" className="link-button" onClick={dismiss}>
            Dismiss
          </button>
        </p>
      )}
    </>
  )
}

function Conversation({ target }: { target: string | null }): ReactNode {
  const messages = useChatView((s) => s.messages)
  const loading = useChatView((s) => s.loadingMessages)
  const currentId = useChatView((s) => s.currentId)
  const leadName = useChatView((s) => s.status?.leadName ?? 'the lead agent')
  const end = useRef<HTMLDivElement>(null)
  const last = messages.at(-1)
  // Braces matter: newer Chromium returns a promise from scrollIntoView, which React would take for a cleanup.
  useEffect(() => {
    void end.current?.scrollIntoView?.({ block: 'end' })
  }, [messages.length, last?.content.length])

  const found = target !== null && messages.some((m) => m.id === target)
  useEffect(() => {
    if (!found) return
    const element = document.querySelector<HTMLElement>(`[data-message="${CSS.escape(target)}"]`)
    element?.focus()
    void element?.scrollIntoView?.({ block: 'center' })
  }, [found, target])

  return (
    <section className="chat-main" aria-label="Conversation">
      <div className="chat-messages" role="log" aria-live="off">
        {loading && (
          <p className="muted" role="status">
            Reading the conversation…
          </p>
        )}
        {!loading && messages.length === 0 && (
          <div className="chat-empty">
            <h2>{currentId ? 'No messages yet' : `Ask ${leadName} anything`}</h2>
            <p className="muted">
              Quick questions get a quick answer; “write”, “make” or “implement” requests go to the expert for the
              domain; strategic questions go to the board of directors first.
            </p>
          </div>
        )}
        {messages.map((m) => (
          <ChatMessageView key={m.id} message={m} targeted={m.id === target} />
        ))}
        <div ref={end} />
      </div>
      <Composer />
    </section>
  )
}
