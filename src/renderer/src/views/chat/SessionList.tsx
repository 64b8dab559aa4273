import { useWriteAccess } from '../../model/use-view-model'
import { useState, type KeyboardEvent, type ReactNode } from 'react'
import type { ChatSession } from '../../../../shared/contract/chat-contract'
import { PageEnd } from '../../components/PageEnd'
import { useChatView } from './use-chat-view'

export function SessionList(): ReactNode {
  const createAccess = useWriteAccess('chat.sessions.create')
  const sessions = useChatView((s) => s.sessions)
  const currentId = useChatView((s) => s.currentId)
  const query = useChatView((s) => s.query)
  const setQuery = useChatView((s) => s.setQuery)
  const select = useChatView((s) => s.select)
  const newSession = useChatView((s) => s.newSession)
  const loadMore = useChatView((s) => s.loadMoreSessions)

  return (
    <nav className="chat-sessions" aria-label="Chat sessions">
      <div className="chat-sessions-top">
        <button
          type="button"
          onClick={() => void newSession()}
          disabled={createAccess.blocked}
          title={createAccess.title}
          aria-describedby={createAccess.describedBy}
        >
          New conversation
        </button>
        <input
          type="search"
          aria-label="Search conversations"
          placeholder="Search conversations"
          value={query}
          onChange={(e) => void setQuery(e.target.value)}
        />
      </div>
      {sessions === null ? (
        <p className="muted" role="status">
          Reading conversations…
        </p>
      ) : sessions.items.length === 0 ? (
        <p className="muted">
          {query ? `No conversation mentions “${query}”.` : 'No conversations yet. Write a message to start one.'}
        </p>
      ) : (
        <ul>
          {sessions.items.map((session) => (
            <SessionRow
              key={session.id}
              session={session}
              current={session.id === currentId}
              onSelect={() => void select(session.id)}
            />
          ))}
        </ul>
      )}
      <PageEnd
        more={sessions !== null && sessions.nextCursor !== null}
        loading={sessions?.loading ?? false}
        label="Show older conversations"
        onMore={() => void loadMore()}
      />
    </nav>
  )
}

function SessionRow({
  session,
  current,
  onSelect
}: {
  session: ChatSession
  current: boolean
  onSelect: () => void
}): ReactNode {
  const renameAccess = useWriteAccess('chat.sessions.rename')
  const deleteAccess = useWriteAccess('chat.sessions.delete')
  const rename = useChatView((s) => s.rename)
  const remove = useChatView((s) => s.remove)
  const [editing, setEditing] = useState(false)
  const [title, setTitle] = useState(session.title)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)

  const save = async (): Promise<void> => {
    const error = await rename(session.id, title)
    setRefusal(error?.message ?? null)
    if (!error) setEditing(false)
  }
  const onKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') void save()
    if (event.key === 'Escape') {
      setTitle(session.title)
      setEditing(false)
    }
  }

  return (
    <li className={`chat-session${current ? ' current' : ''}`} data-session={session.id}>
      {editing ? (
        <div className="chat-session-edit">
          <input
            aria-label="Session title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            onKeyDown={onKey}
            autoFocus
          />
          <button type="button" onClick={() => void save()}>
            Save
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => (setTitle(session.title), setEditing(false), setRefusal(null))}
          >
            Cancel
          </button>
          {refusal && (
            <p className="field-error" role="alert">
              {refusal}
            </p>
          )}
        </div>
      ) : (
        <button
          type="button"
          className="chat-session-open"
          aria-current={current ? 'true' : undefined}
          onClick={onSelect}
        >
          <span className="chat-session-title">{session.title}</span>
          <span className="chat-session-preview">{session.preview || 'No messages'}</span>
        </button>
      )}
      {current && !editing && (
        <div className="chat-session-actions">
          <button
            type="button"
            className="link-button"
            onClick={() => setEditing(true)}
            disabled={renameAccess.blocked}
            title={renameAccess.title}
            aria-describedby={renameAccess.describedBy}
          >
            Rename
          </button>
          {confirming ? (
            <>
              <button type="button" className="link-button danger" onClick={() => void remove(session.id)}>
                Delete for good
              </button>
              <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button
              type="button"
              className="link-button"
              onClick={() => setConfirming(true)}
              disabled={deleteAccess.blocked}
              title={deleteAccess.title}
              aria-describedby={deleteAccess.describedBy}
            >
              Delete
            </button>
          )}
        </div>
      )}
    </li>
  )
}
