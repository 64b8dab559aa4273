import { useWriteAccess } from '../../model/use-view-model'
import { useState, type KeyboardEvent, type ReactNode } from 'react'
import { useChatView } from './use-chat-view'

/** Enter sends, Shift+Enter starts a new line, Escape stops the answer being written. */
export function Composer(): ReactNode {
  const sendAccess = useWriteAccess('chat.send')
  const send = useChatView((s) => s.send)
  const stop = useChatView((s) => s.stop)
  const streaming = useChatView((s) => s.messages.find((m) => m.status === 'streaming')?.id ?? null)
  const leadName = useChatView((s) => s.status?.leadName ?? 'the lead agent')
  const [text, setText] = useState('')
  const [high, setHigh] = useState(false)
  const [sending, setSending] = useState(false)

  const submit = async (): Promise<void> => {
    if (!text.trim() || sending) return
    setSending(true)
    const sent = await send(text, high ? 'high' : 'normal')
    setSending(false)
    if (sent) setText('')
  }
  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Escape' && streaming) {
      event.preventDefault()
      void stop(streaming)
      return
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      void submit()
    }
  }

  return (
    <form className="chat-composer" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <textarea
        disabled={sendAccess.blocked}
        title={sendAccess.title}
        aria-describedby={sendAccess.describedBy}
        aria-label={`Message to ${leadName}`}
        placeholder={`Message ${leadName}… (Enter sends, Shift+Enter for a new line${streaming ? ', Escape stops the answer' : ''})`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
        rows={3}
      />
      <div className="chat-composer-row">
        <label className="muted small">
          <input type="checkbox" checked={high} onChange={(e) => setHigh(e.target.checked)} /> High priority: split into
          tasks for the team
        </label>
        <button
          type="submit"
          disabled={!text.trim() || sending || sendAccess.blocked}
          title={sendAccess.title}
          aria-describedby={sendAccess.describedBy}
        >
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  )
}
