import { describe, expect, it } from 'vitest'
import type { ChatMessage, ChatSession } from '../../../../shared/contract/chat-contract'
import type { KosClient } from '../../../../shared/contract/client'
import type { CallName, EventName, EventPayload } from '../../../../shared/contract/contract'
import { rpcError, type CallResult } from '../../../../shared/contract/rpc-error'
import type { ConnectionStatus } from '../../../../shared/contract/wire'
import { createChatViewStore } from './chat-view-store'

type Reply = (input: unknown) => CallResult<unknown>

function fakeClient(replies: Partial<Record<CallName, Reply>>) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const client = {
    call: async (name: CallName, input: unknown) => replies[name]?.(input) ?? { ok: false, error: rpcError('unavailable', `no reply scripted for ${name}`) },
    on: (name: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(name) ?? new Set()
      set.add(listener)
      listeners.set(name, set)
      return () => set.delete(listener)
    },
    onStatus: (listener: (status: ConnectionStatus) => void) => {
      listener('connecting')
      return () => undefined
    }
  } as unknown as KosClient
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => listeners.get(name)?.forEach((l) => l(payload))
  return { client, emit }
}

const at = '2026-01-01T00:00:00.000Z'
const session: ChatSession = { id: 's1', title: 'Hi', messageCount: 2, preview: '', createdAt: at, updatedAt: at }
const message = (id: string, role: 'user' | 'assistant', content: string, status: ChatMessage['status']): ChatMessage => ({
  id, sessionId: 's1', role, content, status, error: null, notice: null, route: null, expertId: null, expertName: null, model: null, node: null,
  latencyMs: null, tokensIn: null, tokensOut: null, fellBack: false, correlationId: 'c', boardDecisionId: null, parentTaskId: null, subtasks: [], sources: [], replyTo: null, createdAt: at
})

describe('chat view store', () => {
  it('keeps tokens and the end of an answer that arrive before chat.send names the new session', async () => {
    const { client, emit } = fakeClient({
      'chat.send': () => {
        emit('chat.started', { message: message('a1', 'assistant', '', 'streaming') })
        emit('chat.token', { sessionId: 's1', messageId: 'a1', text: 'Hel' })
        emit('chat.finished', { message: message('a1', 'assistant', 'Hello', 'complete') })
        return { ok: true, value: { session, userMessage: message('u1', 'user', 'Hi', 'complete'), assistantMessage: message('a1', 'assistant', '', 'streaming') } }
      },
      'chat.sessions.list': () => ({ ok: true, value: { sessions: [session] } })
    })
    const store = createChatViewStore(client, null)
    const disconnect = store.connect()
    expect(await store.getState().send('Hi', 'normal')).toBe(true)
    expect(store.getState().messages.map((m) => [m.id, m.status, m.content])).toEqual([
      ['u1', 'complete', 'Hi'],
      ['a1', 'complete', 'Hello']
    ])
    disconnect()
  })

  it('streams tokens and steps into the open session and stops listening when disconnected', async () => {
    const { client, emit } = fakeClient({
      'chat.sessions.get': () => ({ ok: true, value: { session, messages: [message('a1', 'assistant', '', 'streaming')] } })
    })
    const store = createChatViewStore(client, null)
    const disconnect = store.connect()
    await store.getState().select('s1')
    emit('chat.token', { sessionId: 's1', messageId: 'a1', text: 'Once' })
    emit('chat.progress', { sessionId: 's1', messageId: 'a1', correlationId: 'c', step: 1, total: 3, status: 'analysis', label: 'Understanding the request' })
    expect(store.getState().messages[0]?.content).toBe('Once')
    expect(store.getState().steps.a1?.map((s) => s.label)).toEqual(['Understanding the request'])
    disconnect()
    emit('chat.token', { sessionId: 's1', messageId: 'a1', text: ' more' })
    expect(store.getState().messages[0]?.content).toBe('Once')
  })

  it('shows the core’s refusal of a send', async () => {
    const { client } = fakeClient({ 'chat.send': () => ({ ok: false, error: rpcError('conflict', 'An answer is still being written in this session.') }) })
    const store = createChatViewStore(client, null)
    expect(await store.getState().send('Hi', 'normal')).toBe(false)
    expect(store.getState().error?.message).toBe('An answer is still being written in this session.')
  })
})
