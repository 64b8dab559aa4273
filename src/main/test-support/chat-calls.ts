import type { ChatMessage, ChatSession } from '../../shared/contract/chat-contract'
import type { Core } from '../app/start-core'

const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }

/** Sends a chat request through the core's dispatcher, as the CLI does; the id of the session it opened. */
export async function sendChat(core: Core, text: string, priority: 'normal' | 'high' = 'normal'): Promise<string> {
  const sent = await core.dispatcher.call('chat.send', { text, priority }, CLI)
  if (!sent.ok) throw new Error(sent.error.message)
  return (sent.value as { session: ChatSession }).session.id
}

/** The session's answer (the message after the request) as stored now; null while there is none. */
export async function chatAnswer(core: Core, sessionId: string): Promise<ChatMessage | null> {
  const got = await core.dispatcher.call('chat.sessions.get', { id: sessionId }, CLI)
  return got.ok ? ((got.value as { messages: ChatMessage[] }).messages[1] ?? null) : null
}
