import { describe, expect, it } from 'vitest'
import type { EventFrame } from '../../shared/contract/wire'
import { createBoardService } from './board-service'
import { createBoardStore } from './board-store'
import { scriptedChatModel, type Script } from './testing/scripted-chat-model'
import { capturedLog, chatTestDb } from './testing/test-core'

const memberReply = (vote: string): Script => ({
  tokens: ['POSITION: ', 'We should do it carefully.', `\nVOTE: ${vote}`]
})
const chairReply: Script = {
  tokens: ['DECISION: Expand to Germany in Q3.\n', 'RATIONALE: Most members agree.\n', 'RISKS:\n- Cash burn\n- Hiring']
}

function setup(pick: (system: string, index: number) => Script, timeoutSec = 45) {
  const db = chatTestDb()
  const events: EventFrame[] = []
  const model = scriptedChatModel((request, index) => pick(request.messages[0]?.content ?? '', index))
  const { log, lines } = capturedLog()
  const service = createBoardService({
    store: createBoardStore(db),
    model,
    events: { emit: (name, payload) => events.push({ type: 'event', name, payload }) },
    timeoutSec: () => timeoutSec,
    userId: 'tester'
  })
  return { service, events, model, log, lines }
}

describe('board service', () => {
  it('hears every member, lets the chair decide, and stores the decision with votes and context', async () => {
    const votes = ['FOR', 'FOR', 'AGAINST', 'FOR']
    const { service, events, model, log } = setup((system, index) =>
      system.includes('Chair of the Board') ? chairReply : memberReply(votes[index] ?? 'ABSTAIN')
    )
    const calls: string[] = []
    service.onModelCall((call) => calls.push(call.correlationId))

    const result = await service.consult({
      question: 'Should we expand to Germany?',
      source: 'chat',
      sessionId: 's1',
      messageId: 'm1',
      correlationId: 'corr-1',
      log
    })

    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.decision).toMatchObject({
      question: 'Should we expand to Germany?',
      decision: 'Expand to Germany in Q3.',
      rationale: 'Most members agree.',
      risks: ['Cash burn', 'Hiring'],
      outcome: 'approved',
      tally: { for: 3, against: 1, abstain: 0 },
      source: 'chat',
      sessionId: 's1',
      messageId: 'm1',
      userId: 'tester',
      correlationId: 'corr-1'
    })
    expect(result.decision.positions.map((p) => p.vote)).toEqual(['for', 'for', 'against', 'for'])
    expect(service.store.get(result.decision.id)).toEqual(result.decision)
    expect(service.store.list({ source: 'chat', limit: 10 }).decisions.map((d) => d.id)).toEqual([result.decision.id])
    expect(service.store.list({ source: 'manual', limit: 10 }).decisions).toEqual([])
    expect(service.store.list({ query: 'germany', limit: 10 }).decisions).toHaveLength(1)
    expect(service.store.list({ outcome: 'rejected', limit: 10 }).decisions).toEqual([])
    expect(events.map((e) => e.name)).toEqual(['board.decided'])
    expect(calls).toEqual(['corr-1', 'corr-1', 'corr-1', 'corr-1', 'corr-1'])
    expect(model.requests.every((r) => r.correlationId === 'corr-1')).toBe(true)
  })

  it('gives up when the board exceeds its timeout, aborting the hung requests, and stores nothing', async () => {
    const { service, model, log, lines } = setup(() => ({ tokens: ['POSITION: thinking'], hang: true }), 0.05)
    const result = await service.consult({
      question: 'Should we pivot to hardware?',
      source: 'manual',
      correlationId: 'corr-2',
      log
    })
    expect(result).toEqual({ ok: false, reason: 'timeout', message: 'the board did not decide within 0.05 s' })
    expect(model.requests.every((r) => r.signal.aborted)).toBe(true)
    expect(service.store.list({ limit: 10 }).decisions).toEqual([])
    expect(lines().some((l) => l.msg === 'board timed out' && l.component === 'board')).toBe(true)
  })

  it('fails with the members’ reasons when most of them cannot answer', async () => {
    const { service, log } = setup((_s, index) =>
      index === 0 ? memberReply('FOR') : { tokens: [], failWith: new Error('node ollama-local is down') }
    )
    const result = await service.consult({
      question: 'Should we raise prices by 20%?',
      source: 'manual',
      correlationId: 'c',
      log
    })
    expect(result).toEqual({
      ok: false,
      reason: 'failed',
      message: 'only 1 of 4 board members answered (node ollama-local is down)'
    })
  })

  it('fails with the chair’s reason when the chair cannot decide, storing nothing', async () => {
    const { service, log } = setup((system) =>
      system.includes('Chair of the Board')
        ? { tokens: ['DECISION: '], failWith: new Error('out of memory') }
        : memberReply('FOR')
    )
    const result = await service.consult({
      question: 'Should we open an office in Berlin?',
      source: 'task',
      taskId: 't1',
      correlationId: 'c',
      log
    })
    expect(result).toEqual({
      ok: false,
      reason: 'failed',
      message: 'the chair (Victor) could not decide: out of memory'
    })
    expect(service.store.list({ limit: 10 }).decisions).toEqual([])
  })

  it('says it cannot meet without a model backend', async () => {
    const db = chatTestDb()
    const service = createBoardService({
      store: createBoardStore(db),
      model: null,
      events: { emit: () => undefined },
      timeoutSec: () => 45,
      userId: 'u'
    })
    const result = await service.consult({
      question: 'Should we hire?',
      source: 'manual',
      correlationId: 'c',
      log: capturedLog().log
    })
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' })
  })
})
