import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import {
  ChatRouteSchema,
  KnowledgeSourceSchema,
  MessageStatusSchema,
  SubtaskSchema,
  type ChatMessage,
  type ChatSession
} from '../../shared/contract/chat-contract'
import { RpcFailure, rpcError } from '../../shared/contract/rpc-error'
import type { Db } from '../db/database'
import { afterCursor, cursorAfter, type PageRequest } from '../db/keyset'

export type NewMessage = Pick<ChatMessage, 'sessionId' | 'role' | 'content' | 'status' | 'correlationId'> &
  Partial<Omit<ChatMessage, 'id' | 'createdAt'>>
export type MessagePatch = Partial<Omit<ChatMessage, 'id' | 'sessionId' | 'role' | 'createdAt'>>

/** What a caller is told about a session or message that is not there (deleted, or never was). */
export const noSession = (id: string): string =>
  `There is no chat session "${id}". It may have been deleted; pick one from the list or start a new one.`
export const noMessage = (id: string): string => `There is no chat message "${id}". Its session may have been deleted.`

export interface ChatStore {
  createSession(title: string): ChatSession
  session(id: string): ChatSession
  /** The session, or null when there is none: a handler refuses with noSession(). */
  findSession(id: string): ChatSession | null
  /** One page, most recently active first; with a query, only sessions whose title or messages contain it. */
  listSessions(request: PageRequest & { readonly query?: string | undefined }): {
    sessions: ChatSession[]
    nextCursor: string | null
  }
  renameSession(id: string, title: string): ChatSession
  deleteSession(id: string): void
  messages(sessionId: string): ChatMessage[]
  message(id: string): ChatMessage
  findMessage(id: string): ChatMessage | null
  addMessage(message: NewMessage): ChatMessage
  updateMessage(id: string, patch: MessagePatch): ChatMessage
  /** Answers left 'streaming' by a process that died are marked as failed, so no spinner turns forever. */
  failInterrupted(reason: string): number
}

interface SessionRow {
  id: string
  title: string
  created_at: string
  updated_at: string
  message_count: number
  preview: string | null
}

interface MessageRow {
  id: string
  session_id: string
  role: string
  content: string
  status: string
  error: string | null
  notice: string | null
  route: string | null
  expert_id: string | null
  expert_name: string | null
  model: string | null
  node: string | null
  latency_ms: number | null
  tokens_in: number | null
  tokens_out: number | null
  fell_back: number
  correlation_id: string
  board_decision_id: string | null
  parent_task_id: string | null
  subtasks: string
  sources: string
  reply_to: string | null
  created_at: string
}

const Subtasks = z.array(SubtaskSchema)
const Sources = z.array(KnowledgeSourceSchema)

const SESSION_SELECT = `SELECT s.id, s.title, s.created_at, s.updated_at,
  (SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = s.id) AS message_count,
  (SELECT substr(m.content, 1, 160) FROM chat_messages m WHERE m.session_id = s.id AND m.content != '' ORDER BY m.seq DESC LIMIT 1) AS preview
  FROM chat_sessions s`

const COLUMN: Readonly<Record<keyof MessagePatch, string>> = {
  content: 'content',
  status: 'status',
  error: 'error',
  notice: 'notice',
  route: 'route',
  expertId: 'expert_id',
  expertName: 'expert_name',
  model: 'model',
  node: 'node',
  latencyMs: 'latency_ms',
  tokensIn: 'tokens_in',
  tokensOut: 'tokens_out',
  fellBack: 'fell_back',
  correlationId: 'correlation_id',
  boardDecisionId: 'board_decision_id',
  parentTaskId: 'parent_task_id',
  subtasks: 'subtasks',
  sources: 'sources',
  replyTo: 'reply_to'
}

function toColumnValue(key: keyof MessagePatch, value: unknown): string | number | null {
  if (key === 'subtasks' || key === 'sources') return JSON.stringify(value ?? [])
  if (key === 'fellBack') return value ? 1 : 0
  return (value ?? null) as string | number | null
}

/** Sessions and messages in SQLite; every write that touches two rows is one transaction. */
export function createChatStore(db: Db, now: () => Date = () => new Date()): ChatStore {
  const insertSession = db.prepare('INSERT INTO chat_sessions (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)')
  const sessionById = db.prepare<[string], SessionRow>(`${SESSION_SELECT} WHERE s.id = ?`)
  const touchSession = db.prepare('UPDATE chat_sessions SET updated_at = ? WHERE id = ?')
  const renameSession = db.prepare('UPDATE chat_sessions SET title = ?, updated_at = ? WHERE id = ?')
  const deleteSession = db.prepare('DELETE FROM chat_sessions WHERE id = ?')
  const messagesOf = db.prepare<[string], MessageRow>('SELECT * FROM chat_messages WHERE session_id = ? ORDER BY seq')
  const messageById = db.prepare<[string], MessageRow>('SELECT * FROM chat_messages WHERE id = ?')
  const nextSeq = db.prepare<[string], { seq: number }>(
    'SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM chat_messages WHERE session_id = ?'
  )

  const toSession = (row: SessionRow): ChatSession => ({
    id: row.id,
    title: row.title,
    messageCount: row.message_count,
    preview: row.preview ?? '',
    createdAt: row.created_at,
    updatedAt: row.updated_at
  })

  const toMessage = (row: MessageRow): ChatMessage => ({
    id: row.id,
    sessionId: row.session_id,
    role: row.role === 'user' ? 'user' : 'assistant',
    content: row.content,
    status: MessageStatusSchema.parse(row.status),
    error: row.error,
    notice: row.notice,
    route: row.route === null ? null : ChatRouteSchema.parse(row.route),
    expertId: row.expert_id,
    expertName: row.expert_name,
    model: row.model,
    node: row.node,
    latencyMs: row.latency_ms,
    tokensIn: row.tokens_in,
    tokensOut: row.tokens_out,
    fellBack: row.fell_back === 1,
    correlationId: row.correlation_id,
    boardDecisionId: row.board_decision_id,
    parentTaskId: row.parent_task_id,
    subtasks: Subtasks.parse(JSON.parse(row.subtasks)),
    sources: Sources.parse(JSON.parse(row.sources)),
    replyTo: row.reply_to,
    createdAt: row.created_at
  })

  const session = (id: string): ChatSession => {
    const row = sessionById.get(id)
    if (!row) throw new RpcFailure(rpcError('not_found', noSession(id)))
    return toSession(row)
  }

  const message = (id: string): ChatMessage => {
    const row = messageById.get(id)
    if (!row) throw new RpcFailure(rpcError('not_found', noMessage(id)))
    return toMessage(row)
  }

  const add = db.transaction((m: NewMessage): string => {
    session(m.sessionId)
    const id = randomUUID()
    const at = now().toISOString()
    const { seq } = nextSeq.get(m.sessionId) ?? { seq: 1 }
    const patch: MessagePatch = { ...m }
    const keys = (Object.keys(COLUMN) as (keyof MessagePatch)[]).filter((k) => k in patch)
    const columns = ['id', 'session_id', 'seq', 'role', 'created_at', 'updated_at', ...keys.map((k) => COLUMN[k])]
    const values = [id, m.sessionId, seq, m.role, at, at, ...keys.map((k) => toColumnValue(k, patch[k]))]
    db.prepare(`INSERT INTO chat_messages (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(
      ...values
    )
    touchSession.run(at, m.sessionId)
    return id
  })

  return {
    createSession(title) {
      const id = randomUUID()
      const at = now().toISOString()
      insertSession.run(id, title, at, at)
      return session(id)
    },
    session,
    findSession(id) {
      const row = sessionById.get(id)
      return row ? toSession(row) : null
    },
    listSessions({ query, cursor, limit }) {
      const where: string[] = []
      const params: (string | number)[] = []
      if (query) {
        const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
        where.push(
          "(s.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.id AND m.content LIKE ? ESCAPE '\\'))"
        )
        params.push(pattern, pattern)
      }
      if (cursor !== undefined) {
        const after = afterCursor('chat_sessions', 's', 'updated_at', cursor)
        where.push(after.sql)
        params.push(...after.params)
      }
      const rows = db
        .prepare<(string | number)[], SessionRow>(
          `${SESSION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.updated_at DESC, s.rowid DESC LIMIT ?`
        )
        .all(...params, limit + 1)
      const more = rows.length > limit
      if (more) rows.pop()
      const last = rows.at(-1)
      return {
        sessions: rows.map(toSession),
        nextCursor: cursorAfter(last && { id: last.id, at: last.updated_at }, more)
      }
    },
    renameSession(id, title) {
      session(id)
      renameSession.run(title, now().toISOString(), id)
      return session(id)
    },
    deleteSession(id) {
      session(id)
      deleteSession.run(id)
    },
    messages: (sessionId) => messagesOf.all(sessionId).map(toMessage),
    message,
    findMessage(id) {
      const row = messageById.get(id)
      return row ? toMessage(row) : null
    },
    addMessage: (m) => message(add(m)),
    updateMessage(id, patch) {
      const keys = (Object.keys(patch) as (keyof MessagePatch)[]).filter((k) => k in COLUMN)
      if (keys.length > 0) {
        db.prepare(
          `UPDATE chat_messages SET ${keys.map((k) => `${COLUMN[k]} = ?`).join(', ')}, updated_at = ? WHERE id = ?`
        ).run(...keys.map((k) => toColumnValue(k, patch[k])), now().toISOString(), id)
      }
      return message(id)
    },
    failInterrupted(reason) {
      return db
        .prepare("UPDATE chat_messages SET status = 'error', error = ?, updated_at = ? WHERE status = 'streaming'")
        .run(reason, now().toISOString()).changes
    }
  }
}
