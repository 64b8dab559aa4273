import { describe, expect, it } from 'vitest'
import type { ChatMessage, ChatSession } from '../../../../shared/contract/chat-contract'
import { rpcError } from '../../../../shared/contract/rpc-error'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { chatModel } from './chat-model'

const status = { modelConnected: true, tasksConnected: true, knowledgeConnected: true, leadName: 'Ada', active: [] }
const at = '2026-01-01T00:00:00.000Z'
const session: ChatSession = { id: 's1', title: 'Hi', messageCount: 2, preview: '', createdAt: at, updatedAt: at }
const message = (
  id: string,
  role: 'user' | 'assistant',
  content: string,
  status: ChatMessage['status']
): ChatMessage => ({
  id,
  sessionId: 's1',
  role,
  content,
  status,
  error: null,
  notice: null,
  route: null,
  expertId: null,
  expertName: null,
  model: null,
  node: null,
  latencyMs: null,
  tokensIn: null,
  tokensOut: null,
  fellBack: false,
  correlationId: 'c',
  boardDecisionId: null,
  parentTaskId: null,
  subtasks: [],
  sources: [],
  replyTo: null,
  createdAt: at
})

describe('chat view model', () => {
  it('keeps tokens and the end of an answer that arrive before chat.send names the new session', async () => {
    const { client, emit } = fakeClient(
      {
        'chat.send': () => {
          emit('chat.started', { message: message('a1', 'assistant', '', 'streaming') })
          emit('chat.token', { sessionId: 's1', messageId: 'a1', text: 'Hel' })
          emit('chat.finished', { message: message('a1', 'assistant', 'Hello', 'complete') })
          return {
            ok: true,
            value: {
              session,
              userMessage: message('u1', 'user', 'Hi', 'complete'),
              assistantMessage: message('a1', 'assistant', '', 'streaming')
            }
          }
        },
        'chat.sessions.list': () => ({ ok: true, value: { sessions: [session], nextCursor: null } })
      },
      'connecting'
    )
    const store = createViewModel(chatModel, client, null)
    const disconnect = store.connect()
    expect(await store.getState().send('Hi', 'normal')).toBe(true)
    expect(store.getState().messages.map((m) => [m.id, m.status, m.content])).toEqual([
      ['u1', 'complete', 'Hi'],
      ['a1', 'complete', 'Hello']
    ])
    disconnect()
  })

  it('puts a new question above its answer when the answer was announced before chat.send replied, in an open conversation', async () => {
    const earlier = [
      message('u0', 'user', 'Before', 'complete'),
      message('a0', 'assistant', 'Earlier answer', 'complete')
    ]
    const { client, emit } = fakeClient(
      {
        'chat.sessions.get': () => ({ ok: true, value: { session, messages: earlier } }),
        'chat.sessions.list': () => ({ ok: true, value: { sessions: [session], nextCursor: null } }),
        'chat.send': () => {
          emit('chat.started', { message: message('a1', 'assistant', '', 'streaming') })
          emit('chat.token', { sessionId: 's1', messageId: 'a1', text: 'Sure' })
          return {
            ok: true,
            value: {
              session,
              userMessage: message('u1', 'user', 'Again', 'complete'),
              assistantMessage: message('a1', 'assistant', '', 'streaming')
            }
          }
        }
      },
      'connecting'
    )
    const store = createViewModel(chatModel, client, null)
    const disconnect = store.connect()
    await store.getState().select('s1')
    expect(await store.getState().send('Again', 'normal')).toBe(true)
    expect(store.getState().messages.map((m) => [m.id, m.content])).toEqual([
      ['u0', 'Before'],
      ['a0', 'Earlier answer'],
      ['u1', 'Again'],
      ['a1', 'Sure']
    ])
    disconnect()
  })

  it('streams tokens and steps into the open session and stops listening when disconnected', async () => {
    const { client, emit } = fakeClient(
      {
        'chat.sessions.get': () => ({
          ok: true,
          value: { session, messages: [message('a1', 'assistant', '', 'streaming')] }
        })
      },
      'connecting'
    )
    const store = createViewModel(chatModel, client, null)
    const disconnect = store.connect()
    await store.getState().select('s1')
    emit('chat.token', { sessionId: 's1', messageId: 'a1', text: 'Once' })
    emit('chat.progress', {
      sessionId: 's1',
      messageId: 'a1',
      correlationId: 'c',
      step: 1,
      total: 3,
      status: 'analysis',
      label: 'Understanding the request'
    })
    expect(store.getState().messages[0]?.content).toBe('Once')
    expect(store.getState().steps.a1?.map((s) => s.label)).toEqual(['Understanding the request'])
    disconnect()
    emit('chat.token', { sessionId: 's1', messageId: 'a1', text: ' more' })
    expect(store.getState().messages[0]?.content).toBe('Once')
  })

  it('shows the core’s refusal of a send', async () => {
    const { client } = fakeClient({
      'chat.send': () => ({
        ok: false,
        error: rpcError('conflict', 'An answer is still being written in this session.')
      })
    })
    const store = createViewModel(chatModel, client, null)
    expect(await store.getState().send('Hi', 'normal')).toBe(false)
    expect(store.getState().error?.message).toBe('An answer is still being written in this session.')
  })

  it('reads status, sessions and the open conversation when connected, again after a reconnect, and stops when disposed', async () => {
    const fake = fakeClient(
      {
        'chat.status': () => ({ ok: true, value: status }),
        'chat.sessions.list': () => ({ ok: true, value: { sessions: [session], nextCursor: null } }),
        'chat.sessions.get': () => ({
          ok: true,
          value: { session, messages: [message('u1', 'user', 'Hi', 'complete')] }
        })
      },
      'connecting'
    )
    const store = createViewModel(chatModel, fake.client, null)
    const disconnect = store.connect()
    expect(fake.calls).toHaveLength(0)
    fake.setStatus('connected')
    await settle()
    expect(fake.names()).toEqual(['chat.status', 'chat.sessions.list', 'chat.sessions.get'])
    expect(store.getState()).toMatchObject({ currentId: 's1', status: { leadName: 'Ada' } })
    fake.setStatus('disconnected')
    fake.setStatus('connected')
    await settle()
    expect(fake.names()).toHaveLength(6)
    disconnect()
    expect(fake.listening()).toBe(0)
  })

  it('shows a board decision read once, however many answers it shaped', async () => {
    const fake = fakeClient(
      {
        'board.decisions.get': () => ({
          ok: false,
          error: rpcError('not_found', 'There is no board decision with id "d1".')
        })
      },
      'connecting'
    )
    const store = createViewModel(chatModel, fake.client, null)
    await store.getState().readDecision('d1')
    await store.getState().readDecision('d1')
    expect(fake.names()).toEqual(['board.decisions.get'])
    expect(store.getState().decisions.d1).toEqual({ error: expect.objectContaining({ code: 'not_found' }) })
  })

  it('sends a question typed before the core has made the new conversation into that conversation, and stays on it', async () => {
    let made: (id: string) => void = () => undefined
    const fresh: ChatSession = { ...session, id: 's2', title: 'New conversation', messageCount: 0 }
    const fake = fakeClient({
      'chat.sessions.create': () =>
        new Promise((resolve) => (made = (id) => resolve({ ok: true, value: { ...fresh, id } }))),
      'chat.sessions.list': () => ({ ok: true, value: { sessions: [fresh], nextCursor: null } }),
      'chat.send': (input) => ({
        ok: true,
        value: {
          session: { ...fresh, id: input.sessionId ?? 'made-by-send' },
          userMessage: { ...message('u1', 'user', 'Rotate backups?', 'complete'), sessionId: input.sessionId ?? '' },
          assistantMessage: { ...message('a1', 'assistant', '', 'streaming'), sessionId: input.sessionId ?? '' }
        }
      })
    })
    const store = createViewModel(chatModel, fake.client, null)
    const opening = store.getState().newSession()
    expect(store.getState().currentId).toBeNull()
    const sending = store.getState().send('Rotate backups?', 'normal')
    made('s2')
    await Promise.all([opening, sending])
    expect(fake.calls.find((c) => c.name === 'chat.send')?.input).toMatchObject({ sessionId: 's2' })
    expect(store.getState().currentId).toBe('s2')
    expect(store.getState().messages.map((m) => m.id)).toEqual(['u1', 'a1'])
  })

  it('leaves open a conversation the person chose while the new one was being made', async () => {
    let made: () => void = () => undefined
    const fake = fakeClient({
      'chat.sessions.create': () =>
        new Promise((resolve) => (made = () => resolve({ ok: true, value: { ...session, id: 's2' } }))),
      'chat.sessions.list': () => ({ ok: true, value: { sessions: [session], nextCursor: null } }),
      'chat.sessions.get': () => ({ ok: true, value: { session, messages: [] } })
    })
    const store = createViewModel(chatModel, fake.client, null)
    const opening = store.getState().newSession()
    await store.getState().select('s1')
    made()
    await opening
    expect(store.getState().currentId).toBe('s1')
  })
})
