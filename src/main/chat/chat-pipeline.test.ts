import { describe, expect, it } from 'vitest'
import type { ChatMessage, ChatProgress } from '../../shared/contract/chat-contract'
import { NO_BACKEND } from './answer-run'
import { chatHarness, purposeOf, type ChatHarness } from './testing/chat-harness'
import { scriptedKnowledge, scriptedTaskQueue } from './testing/scripted-ports'

type Finished = { message: ChatMessage }

async function send(h: ChatHarness, text: string, correlationId = 'corr-1', priority: 'normal' | 'high' = 'normal') {
  const sent = await h.handlers['chat.send']({ text, priority }, h.ctx(correlationId))
  await h.chat.pipeline.idle()
  const finished = h.named<Finished>('chat.finished').at(-1)?.message
  if (!finished) throw new Error('no chat.finished event')
  return { sent, finished }
}

const memberReply = { tokens: ['POSITION: Yes, it pays for itself in a year.\nVOTE: FOR'] }
const chairReply = {
  tokens: ['DECISION: Buy the second server.\nRATIONALE: Cheaper than renting within a year.\nRISKS:\n- Power costs']
}

describe('chat pipeline routes', () => {
  it('answers a simple question with the lead agent on a light model, streaming tokens and steps to the end', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['A closure ', 'keeps its scope.'] }) })
    const { sent, finished } = await send(h, 'What is a closure in JavaScript?')

    expect(finished).toMatchObject({
      id: sent.assistantMessage.id,
      status: 'complete',
      content: 'A closure keeps its scope.',
      route: 'simple',
      expertId: 'victoria',
      expertName: 'Victoria',
      model: 'scripted:7b',
      node: 'ollama-local',
      error: null
    })
    expect(finished.tokensOut).toBeGreaterThan(0)
    expect(h.model?.requests.map((r) => [purposeOf(r), r.size])).toEqual([['answer', 'light']])
    expect(
      h
        .named<{ text: string }>('chat.token')
        .map((t) => t.text)
        .join('')
    ).toBe('A closure keeps its scope.')
    const steps = h.named<ChatProgress>('chat.progress')
    expect(steps.at(-1)).toMatchObject({ status: 'complete', step: 3, total: 3 })
    expect(steps.map((s) => s.status)).toEqual(['analysis', 'analysis', 'analysis', 'executing', 'complete'])
    expect(h.events.at(-1)?.name).toBe('chat.finished')
    const stored = await h.handlers['chat.sessions.get']({ id: sent.session.id }, h.ctx('c'))
    expect(stored.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete']
    ])
    expect(stored.messages[1]?.latencyMs).toBeGreaterThanOrEqual(0)
  })

  it('sends an execution request to the best expert for its domain, in Russian too', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['```python\ndef f(): pass\n```'] }) })
    const { finished } = await send(h, 'Напиши функцию на Python, которая парсит даты')
    expect(finished).toMatchObject({ route: 'execution', expertId: 'igor', status: 'complete' })
    const request = h.model?.requests[0]
    expect(request).toMatchObject({ size: 'heavy', category: 'coding' })
    expect(request?.messages[0]?.content).toContain('You are Igor')
    const usage = await h.handlers['chat.usage']({ days: 7 }, h.ctx('c'))
    expect(usage.counters).toMatchObject({ expertAnswers: 1, fallbacks: 0, fallbackRatio24h: 0 })
    expect(usage.byExpert.map((e) => e.label)).toEqual(['Igor'])
  })

  it('with experts-first off, an execution request goes to the fast model', async () => {
    const h = chatHarness({ settings: { 'chat.preferExpertsFirst': false } })
    const { finished } = await send(h, 'Write a Python function that parses dates')
    expect(finished).toMatchObject({ route: 'simple', expertId: 'victoria' })
  })

  it('decomposes a complex request into subtasks, follows them to the end and answers from their results', async () => {
    const queue = scriptedTaskQueue((task, q) => {
      if (task.parentTaskId)
        setTimeout(() => {
          q.settle(task.id, 'in_progress')
          q.settle(task.id, 'completed', `result of ${task.title}`)
        }, 5)
    })
    const h = chatHarness({
      tasks: queue,
      script: (r) =>
        purposeOf(r) === 'decompose'
          ? { tokens: ['1. Data model — tables for invoices\n2. API — endpoints to create invoices\n3. UI — a form'] }
          : { tokens: ['Here is the plan, built.'] }
    })
    const { finished } = await send(h, 'Build a full invoicing app from scratch', 'corr-9')

    expect(queue.created.map((t) => [t.title, t.parentTaskId ?? null])).toEqual([
      ['Build a full invoicing app from scratch', null],
      ['Data model', 'task-1'],
      ['API', 'task-1'],
      ['UI', 'task-1']
    ])
    expect(queue.created[2]).toMatchObject({ assigneeExpert: 'igor', correlationId: 'corr-9' })
    expect(finished).toMatchObject({
      route: 'complex',
      status: 'complete',
      parentTaskId: 'task-1',
      content: 'Here is the plan, built.'
    })
    expect(finished.subtasks.map((s) => s.status)).toEqual(['completed', 'completed', 'completed'])
    const updates = h.named<{ subtasks: { status: string }[] }>('chat.subtasks')
    expect(updates[0]?.subtasks.map((s) => s.status)).toEqual(['pending', 'pending', 'pending'])
    expect(updates.length).toBeGreaterThan(3)
    const synthesis = h.model?.requests.at(-1)
    expect(synthesis?.messages[0]?.content).toContain('result of API')
    expect(
      h
        .named<ChatProgress>('chat.progress')
        .filter((p) => p.status !== 'complete')
        .map((p) => p.total)
    ).toContain(5)
  })

  it('says when decomposition is unavailable and lets one expert answer instead', async () => {
    const h = chatHarness({ tasks: null })
    const { finished } = await send(h, 'Build a full invoicing app from scratch')
    expect(finished).toMatchObject({ route: 'execution', status: 'complete' })
    expect(
      h.named<ChatProgress>('chat.progress').some((p) => p.label.includes('the task engine is not connected'))
    ).toBe(true)
  })

  it('puts a strategic question to the board, stores the decision with the chat’s ids and answers with it', async () => {
    const h = chatHarness({
      script: (r) =>
        purposeOf(r) === 'member'
          ? memberReply
          : purposeOf(r) === 'chair'
            ? chairReply
            : { tokens: ['The board decided to buy it.'] }
    })
    const { sent, finished } = await send(h, 'Should we invest in a second GPU server or keep renting?', 'corr-s')

    expect(finished).toMatchObject({ route: 'strategic', status: 'complete', notice: null })
    expect(finished.boardDecisionId).not.toBeNull()
    const decision = await h.handlers['chat.sessions.export']({ id: sent.session.id }, h.ctx('c'))
    expect(decision.markdown).toContain(
      'Board decision (approved, 4 for / 0 against / 0 abstained):** Buy the second server.'
    )
    const stored = h.board.store.get(finished.boardDecisionId ?? '')
    expect(stored).toMatchObject({
      source: 'chat',
      sessionId: sent.session.id,
      messageId: finished.id,
      correlationId: 'corr-s',
      userId: 'tester'
    })
    const answer = h.model?.requests.find((r) => purposeOf(r) === 'answer')
    expect(answer?.messages[0]?.content).toContain('Decision: Buy the second server.')
    const usage = await h.handlers['chat.usage']({ days: 1 }, h.ctx('c'))
    expect(usage.byExpert.find((e) => e.key === 'board')).toMatchObject({ label: 'Board of directors', requests: 5 })
  })

  it('goes on without the decision block when the board exceeds its timeout, and says so', async () => {
    const h = chatHarness({
      boardTimeoutSec: 0.05,
      script: (r) =>
        purposeOf(r) === 'member' || purposeOf(r) === 'chair'
          ? { tokens: [], hang: true }
          : { tokens: ['My own advice.'] }
    })
    const { finished } = await send(h, 'What should our strategy be for next year?')
    expect(finished).toMatchObject({
      route: 'strategic',
      status: 'complete',
      content: 'My own advice.',
      boardDecisionId: null
    })
    expect(finished.notice).toBe(
      'The board could not decide (the board did not decide within 0.05 s), so this answer comes without its decision.'
    )
    expect(h.board.store.list({ limit: 10 }).decisions).toEqual([])
  })
})

describe('chat pipeline failures and stops', () => {
  it('stops mid-stream: the partial answer is stored while it streams, the backend request is aborted, the answer kept as stopped', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['Once upon', ' a time'], hang: true }) })
    const { assistantMessage } = await h.handlers['chat.send'](
      { text: 'Tell me a story', priority: 'normal' },
      h.ctx('c')
    )
    const request = await h.model?.hanging()
    const during = await h.handlers['chat.sessions.get']({ id: assistantMessage.sessionId }, h.ctx('c'))
    expect(during.messages.at(-1)).toMatchObject({ status: 'streaming', content: 'Once upon a time' })
    expect(await h.handlers['chat.stop']({ messageId: assistantMessage.id }, h.ctx('c', 'chat.stop'))).toEqual({
      stopped: true
    })
    await h.chat.pipeline.idle()
    expect(request?.signal.aborted).toBe(true)
    const finished = h.named<Finished>('chat.finished')
    expect(finished).toHaveLength(1)
    expect(finished[0]?.message).toMatchObject({ status: 'stopped', content: 'Once upon a time', error: null })
    expect(h.named<ChatProgress>('chat.progress').at(-1)).toMatchObject({ status: 'error', label: 'Stopped' })
    expect(await h.handlers['chat.stop']({ messageId: assistantMessage.id }, h.ctx('c'))).toEqual({ stopped: false })
  })

  it('ends with an error event and message when the provider fails mid-stream, keeping what came', async () => {
    const h = chatHarness({
      script: () => ({ tokens: ['Partial'], failWith: new Error('connection reset by ollama-local') })
    })
    const { finished } = await send(h, 'Explain TCP')
    expect(finished).toMatchObject({ status: 'error', content: 'Partial' })
    expect(finished.error).toBe(
      'The answer broke off while being written: connection reset by ollama-local. Press Retry, or check the Models view for a failing node.'
    )
    expect(h.named<ChatProgress>('chat.progress').at(-1)).toMatchObject({ status: 'error', label: finished.error })
    expect(h.events.at(-1)?.name).toBe('chat.finished')
  })

  it('says no backend is connected, keeping the question for a retry', async () => {
    const h = chatHarness({ script: null })
    const { sent, finished } = await send(h, 'Hello?')
    expect(finished).toMatchObject({ status: 'error', error: NO_BACKEND })
    const again = await h.handlers['chat.retry']({ messageId: finished.id }, h.ctx('c2', 'chat.retry'))
    await h.chat.pipeline.idle()
    expect(again.assistantMessage.replyTo).toBe(sent.userMessage.id)
    const status = await h.handlers['chat.status']({}, h.ctx('c'))
    expect(status).toMatchObject({
      modelConnected: false,
      tasksConnected: false,
      knowledgeConnected: false,
      leadName: 'Victoria',
      active: []
    })
  })

  it('refuses a second message while an answer is being written in the session', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['…'], hang: true }) })
    const { session, assistantMessage } = await h.handlers['chat.send'](
      { text: 'First', priority: 'normal' },
      h.ctx('c')
    )
    await h.model?.hanging()
    await expect(
      h.handlers['chat.send']({ sessionId: session.id, text: 'Second', priority: 'normal' }, h.ctx('c'))
    ).rejects.toThrow(/still being written/)
    h.handlers['chat.stop']({ messageId: assistantMessage.id }, h.ctx('c'))
    await h.chat.pipeline.idle()
  })

  it('marks an answer left streaming by a dead process as failed at the next start', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['…'], hang: true }) })
    const { session } = await h.handlers['chat.send']({ text: 'First', priority: 'normal' }, h.ctx('c'))
    await h.model?.hanging()
    const { createChatStore } = await import('./chat-store')
    expect(
      createChatStore(h.db).failInterrupted('The app stopped while this answer was being written. Press Retry.')
    ).toBe(1)
    expect(createChatStore(h.db).messages(session.id).at(-1)).toMatchObject({
      status: 'error',
      error: 'The app stopped while this answer was being written. Press Retry.'
    })
    await h.chat.stop?.()
  })
})

describe('chat pipeline context', () => {
  it('carries one correlation id from the message through model calls, tasks and every log line', async () => {
    const queue = scriptedTaskQueue((task, q) => {
      if (task.parentTaskId) setTimeout(() => q.settle(task.id, 'completed', 'done'), 1)
    })
    const h = chatHarness({
      tasks: queue,
      script: (r) => (purposeOf(r) === 'decompose' ? { tokens: ['1. A — a\n2. B — b'] } : { tokens: ['ok'] })
    })
    const { finished } = await send(h, 'Implement the importer and then write its docs', 'corr-77')
    expect(finished.correlationId).toBe('corr-77')
    expect(h.model?.requests.map((r) => r.correlationId)).toEqual(['corr-77', 'corr-77'])
    expect(queue.created.map((t) => t.correlationId)).toEqual(['corr-77', 'corr-77', 'corr-77'])
    const chatLines = h.lines().filter((l) => l.component === 'chat')
    expect(chatLines.length).toBeGreaterThan(5)
    expect(chatLines.every((l) => l.correlation_id === 'corr-77' && l.message_id === finished.id)).toBe(true)
  })

  it('answers a standalone question from the response cache without a model call', async () => {
    const knowledge = scriptedKnowledge({ cache: { 'What is RAG?': 'Retrieval-augmented generation.' } })
    const h = chatHarness({ knowledge })
    const { finished } = await send(h, 'What is RAG?')
    expect(finished).toMatchObject({ route: 'cache', status: 'complete', content: 'Retrieval-augmented generation.' })
    expect(h.model?.requests).toEqual([])
  })

  it('puts the knowledge context into the prompt, records its sources and caches the answer', async () => {
    const knowledge = scriptedKnowledge({
      context: 'Invoices are due in 30 days.',
      sources: [{ nodeId: 'n1', title: 'Billing policy' }]
    })
    const h = chatHarness({ knowledge, script: () => ({ tokens: ['30 days.'] }) })
    const { finished } = await send(h, 'When are invoices due?')
    expect(finished.sources).toEqual([{ nodeId: 'n1', title: 'Billing policy' }])
    expect(h.model?.requests[0]?.messages[0]?.content).toContain('Invoices are due in 30 days.')
    expect(knowledge.remembered.get('When are invoices due?')).toBe('30 days.')
  })

  it('lists no knowledge sources under an answer that failed, since it used none of them', async () => {
    const knowledge = scriptedKnowledge({
      context: 'Invoices are due in 30 days.',
      sources: [{ nodeId: 'n1', title: 'Billing policy' }]
    })
    const answering = (request: { messages: readonly { content: string }[] }): boolean =>
      request.messages.some((m) => m.content.includes('Invoices are due'))
    const h = chatHarness({
      knowledge,
      script: (request) =>
        answering(request) ? { tokens: [], failWith: new Error('model server answered 500') } : { tokens: ['{}'] }
    })
    const { finished } = await send(h, 'When are invoices due?')
    expect(finished).toMatchObject({ status: 'error', sources: [] })
    expect(h.model?.requests.some(answering)).toBe(true)
  })

  it('answers without the knowledge base when it fails, and says so', async () => {
    const h = chatHarness({ knowledge: scriptedKnowledge({ fail: new Error('index is rebuilding') }) })
    const { finished } = await send(h, 'When are invoices due?')
    expect(finished).toMatchObject({ status: 'complete' })
    expect(finished.notice).toBe(
      'The knowledge base could not be read (index is rebuilding), so this answer does not use it.'
    )
  })

  it('sends the earlier turns of the session along', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['ok'] }) })
    const { sent } = await send(h, 'My name is Ada.')
    await h.handlers['chat.send'](
      { sessionId: sent.session.id, text: 'What is my name?', priority: 'normal' },
      h.ctx('c2')
    )
    await h.chat.pipeline.idle()
    expect(h.model?.requests[1]?.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
  })
})
